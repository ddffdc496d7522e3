"""The held-out evaluation set: accuracy of ``lastword check`` on code it was not built on.

``tests/check/holdout/`` holds realistic Cloud Run functions, ``wrong_*`` and
``right_*`` (single files, or an app folder with ``main.py`` and helper modules),
written without reading the checker's source. Each expected finding is marked on its
line with ``# expect: LW1xx``. The whole folder is checked in one run, as
``lastword check tests/check/holdout`` does (so several apps share one checked tree).

Unlike the corpus, the set is not required to be exact: it measures recall (expected
findings that are reported) and the false-report rate (reported findings that are
not expected, over all reports), with the thresholds the checker is held to on new
code. Run ``python tests/check/test_holdout.py`` for the numbers and the list of
misses and false reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lastword._check._analyze import check_sources
from lastword._check._files import discover, read_sources

HOLDOUT = Path(__file__).parent / "holdout"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>LW\d{3}(?:\s*,\s*LW\d{3})*)")

Key = tuple[str, int, str]  # (path relative to holdout/, line, code)

MIN_RECALL = 0.9
MAX_FALSE_RATE = 0.05


@dataclass(frozen=True)
class Score:
    expected: frozenset[Key]
    reported: frozenset[Key]
    wrong_cases: frozenset[str]
    right_cases: frozenset[str]

    @property
    def missed(self) -> list[Key]:
        return sorted(self.expected - self.reported)

    @property
    def false(self) -> list[Key]:
        return sorted(self.reported - self.expected)

    @property
    def recall(self) -> float:
        return len(self.expected & self.reported) / len(self.expected)

    @property
    def false_rate(self) -> float:
        return len(self.false) / len(self.reported) if self.reported else 0.0

    @property
    def right_flagged(self) -> set[str]:
        return {case_of(path) for path, _, _ in self.reported} & self.right_cases

    def summary(self) -> str:
        hit = len(self.expected & self.reported)
        return (
            f"holdout: {len(self.wrong_cases)} wrong cases, {len(self.right_cases)} right cases\n"
            f"recall {hit}/{len(self.expected)} = {self.recall:.3f}\n"
            f"false reports {len(self.false)}/{len(self.reported)} = {self.false_rate:.3f}\n"
            f"right cases with a report {len(self.right_flagged)}/{len(self.right_cases)}\n"
            f"missed: {self.missed}\nfalse: {self.false}"
        )


def case_of(path: str) -> str:
    return path.split("/", 1)[0].removesuffix(".py")


def score() -> Score:
    files = discover([HOLDOUT])
    sources = read_sources(files, HOLDOUT)
    expected: set[Key] = set()
    for path, source in sources.items():
        for number, line in enumerate(source.decode().splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    expected.add((path, number, code))
    reported = {(f.path, f.line, f.code) for f in check_sources(sources)}
    cases = {case_of(path) for path in sources}
    return Score(
        frozenset(expected),
        frozenset(reported),
        frozenset(c for c in cases if c.startswith("wrong_")),
        frozenset(c for c in cases if c.startswith("right_")),
    )


def test_holdout_is_broad() -> None:
    result = score()
    assert len(result.wrong_cases) >= 30
    assert len(result.right_cases) >= 30
    for case in result.wrong_cases:
        assert any(case_of(p) == case for p, _, _ in result.expected), case
    for case in result.right_cases:
        assert not any(case_of(p) == case for p, _, _ in result.expected), case


def test_holdout_accuracy() -> None:
    result = score()
    print()
    print(result.summary())
    assert result.recall >= MIN_RECALL, result.summary()
    assert result.false_rate <= MAX_FALSE_RATE, result.summary()


if __name__ == "__main__":
    print(score().summary())
