"""Score lastword check, ruff RUF006 and flake8-async on the corpus.

Run from the repository root: ``python tests/check/compare_tools.py``
(needs ``pip install ruff flake8 flake8-async``). For each tool it counts, over the
``# expect:`` lines of the corpus, the lines it flags (true positives), the lines it
flags that are not expected (false reports) and the expected lines it misses; and,
per case, how many wrong cases it flags at all and how many right cases it flags.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

from corpus_cases import CORPUS, Case, cases  # noqa: E402

from lastword._check._analyze import check_sources  # noqa: E402

Line = tuple[str, int]  # (path relative to the corpus, line)


def lastword_lines(all_cases: list[Case]) -> set[Line]:
    out: set[Line] = set()
    for case in all_cases:
        prefix = "" if case.root.is_file() else case.root.name + "/"
        for f in check_sources(case.sources()):
            out.add((prefix + f.path, f.line))
    return out


def ruff_lines(_: list[Case]) -> set[Line]:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache",
         "--select", "RUF006", "--output-format", "json", str(CORPUS)],
        capture_output=True, text=True, check=False,
    )
    return {
        (Path(d["filename"]).resolve().relative_to(CORPUS).as_posix(), d["location"]["row"])
        for d in json.loads(proc.stdout or "[]")
    }


def flake8_async(select: str) -> Callable[[list[Case]], set[Line]]:
    return lambda _: flake8_async_lines(select)


def flake8_async_lines(select: str) -> set[Line]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", select,
         "--format", "%(path)s:%(row)d:%(code)s", str(CORPUS)],
        capture_output=True, text=True, check=False,
    )
    out: set[Line] = set()
    for line in proc.stdout.splitlines():
        match = re.match(r"(.+):(\d+):(ASYNC\d+)$", line)
        if match:
            rel = Path(match.group(1)).resolve().relative_to(CORPUS).as_posix()
            out.add((rel, int(match.group(2))))
    return out


TOOLS: dict[str, Callable[[list[Case]], set[Line]]] = {
    "lastword check": lastword_lines,
    "ruff RUF006": ruff_lines,
    "flake8-async, ASYNC300 (dangling create_task)": flake8_async("ASYNC300"),
    "flake8-async, all ASYNC rules (`--select ASYNC`)": flake8_async("ASYNC"),
}


def expected_lines(all_cases: list[Case]) -> set[Line]:
    out: set[Line] = set()
    for case in all_cases:
        prefix = "" if case.root.is_file() else case.root.name + "/"
        out |= {(prefix + path, line) for path, line, _ in case.expected()}
    return out


def case_of(line: Line) -> str:
    return line[0].split("/")[0].removesuffix(".py")


def main() -> None:
    all_cases = cases()
    expected = expected_lines(all_cases)
    wrong = {c.name for c in all_cases if c.wrong}
    right = {c.name for c in all_cases if not c.wrong}
    print(f"corpus: {len(wrong)} wrong cases, {len(right)} right cases, "
          f"{len(expected)} expected finding lines\n")
    print("| tool | findings on expected lines (recall) | false reports (precision) "
          "| wrong cases flagged | right cases flagged |")
    print("|---|---|---|---|---|")
    for name, tool in TOOLS.items():
        got = tool(all_cases)
        tp = len(got & expected)
        fp = len(got - expected)
        recall = tp / len(expected)
        precision = tp / (tp + fp) if tp + fp else 0.0
        flagged = {case_of(line) for line in got}
        print(f"| {name} | {tp}/{len(expected)} ({recall:.0%}) | {fp} ({precision:.0%}) "
              f"| {len(flagged & wrong)}/{len(wrong)} | {len(flagged & right)}/{len(right)} |")
        if "-v" in sys.argv:
            for line in sorted(got & expected):
                print(f"    caught {line[0]}:{line[1]}")
            for line in sorted(got - expected):
                print(f"    false  {line[0]}:{line[1]}")


if __name__ == "__main__":
    main()
