"""The pre-commit hook definitions point at the lastword check command."""

from __future__ import annotations

from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def test_hooks() -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"lastword-check", "lastword-check-files"}
    for hook in hooks:
        assert hook["entry"] == "lastword check"
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
    assert by_id["lastword-check"]["pass_filenames"] is False
