"""Every rule has a docs page whose wrong example triggers it and whose fix does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lastword._check._analyze import check_sources
from lastword._check._rules import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^## (Wrong|Fixed)\s*\n+```python\n(.*?)^```", re.M | re.S)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page(code: str) -> None:
    page = DOCS / "check-rules" / f"{code}.md"
    text = page.read_text()
    assert text.startswith(f"# {code} {RULES[code].name}\n")
    blocks = dict((kind, body) for kind, body in BLOCK.findall(text))
    assert set(blocks) == {"Wrong", "Fixed"}
    every_rule = RULES.__contains__  # opt-in hints too
    wrong = {f.code for f in check_sources({"main.py": blocks["Wrong"]}, enabled=every_rule)}
    fixed = {f.code for f in check_sources({"main.py": blocks["Fixed"]}, enabled=every_rule)}
    assert wrong == {code}
    assert fixed == set()
    if RULES[code].hint:
        assert "off by default" in text
        assert not check_sources({"main.py": blocks["Wrong"]}), "a hint is off by default"


def test_overview_lists_every_rule() -> None:
    text = (DOCS / "check.md").read_text()
    for code, rule in RULES.items():
        assert f"[{code}](check-rules/{code}.md)" in text
        assert rule.name in text
