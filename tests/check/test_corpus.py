"""Every corpus case yields exactly the findings its ``# expect:`` comments declare."""

from __future__ import annotations

import pytest

from lastword._check._analyze import check_sources

from .corpus_cases import Case, Key, cases

CASES = cases()


def found(case: Case) -> set[Key]:
    return {(f.path, f.line, f.code) for f in check_sources(case.sources())}


def test_corpus_is_broad() -> None:
    wrong = [c for c in CASES if c.wrong]
    right = [c for c in CASES if not c.wrong]
    assert len(wrong) >= 40
    assert len(right) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    expected = case.expected()
    if case.wrong:
        assert expected, "a wrong_ case must declare at least one '# expect:'"
    else:
        assert not expected, "a right_ case declares no findings"
    got = found(case)
    missed = expected - got
    false = got - expected
    assert not missed and not false, f"missed={sorted(missed)} false={sorted(false)}"
