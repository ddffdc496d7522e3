"""The held-out evaluation set stays consistent: labels match the files, and every file imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FUNCTIONS = HERE / "functions"

sys.path.insert(0, str(HERE))
import show_labels  # noqa: E402

sys.path.remove(str(HERE))


def _entries() -> list[dict]:
    return json.loads((HERE / "labels.json").read_text())["functions"]


def test_every_label_matches_its_file() -> None:
    """Targets exist, sync/async and declarations agree, labelled lines quote their statement."""
    problems: list[str] = []
    for entry in _entries():
        show_labels.check(entry, problems)
    assert problems == []


def test_every_function_file_is_labelled_once() -> None:
    """No unlabelled function file, no label without a file, no duplicate."""
    names = [entry["name"] for entry in _entries()]
    assert len(names) == len(set(names))
    assert set(names) == {path.stem for path in FUNCTIONS.glob("*.py")}


def test_the_set_is_balanced_enough_to_measure() -> None:
    """At least 30 functions, both labels, every signature type, sync and async."""
    entries = _entries()
    assert len(entries) >= 30
    assert {e["label"] for e in entries} == {"right", "wrong"}
    assert {e["signature_type"] for e in entries} == {"http", "cloudevent", "event"}
    assert {e["async"] for e in entries} == {True, False}


def test_every_function_imports() -> None:
    """Each module imports cleanly (warnings are errors) with functions/ and functions/lib on the path."""
    pytest.importorskip("aiohttp", reason="two functions use aiohttp (in the test extras)")
    names = sorted(path.stem for path in FUNCTIONS.glob("*.py"))
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(FUNCTIONS), str(FUNCTIONS / "lib")])}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, *names],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
