"""``python -m lastword._check [PATHS]``: the same as ``lastword check``."""

from .command import check

if __name__ == "__main__":
    check(prog_name="lastword check")
