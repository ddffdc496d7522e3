"""The flake8 plugin, run by real flake8 in a subprocess and through its API."""

from __future__ import annotations

import ast
import shutil
import subprocess
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from lastword._check._flake8 import LastwordChecker

pytest.importorskip("flake8")

HELPER = textwrap.dedent(
    """\
    import threading


    def start_upload(data):
        t = threading.Thread(target=print, args=(data,))
        t.start()
    """
)
MAIN = textwrap.dedent(
    """\
    import asyncio

    import functions_framework

    import helpers


    @functions_framework.http
    def upload(request):
        helpers.start_upload(request.get_data())
        asyncio.sleep(1)  # noqa: LW401
        return "ok"
    """
)


def registered() -> bool:
    return any(ep.name == "LW" for ep in entry_points(group="flake8.extension"))


def test_plugin_api() -> None:
    assert LastwordChecker.name == "lastword"
    assert isinstance(LastwordChecker.version, str)
    tree = ast.parse(MAIN)
    results = list(LastwordChecker(tree, "main.py", MAIN.splitlines(True)).run())
    assert results == []  # helpers.py is not on disk; the LW401 line carries a noqa
    raw = list(LastwordChecker(ast.parse(HELPER), "helpers.py", HELPER.splitlines(True)).run())
    assert raw == []  # no entry point reaches it


def run_flake8(tmp_path: Path, python: str, local_plugin: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "helpers.py").write_text(HELPER)
    (tmp_path / "main.py").write_text(MAIN)
    config = "[flake8]\nselect = LW\n"
    if local_plugin:
        config += (
            "[flake8:local-plugins]\n"
            "extension =\n    LW = lastword._check._flake8:LastwordChecker\n"
        )
    (tmp_path / ".flake8").write_text(config)
    return subprocess.run(
        [python, "-m", "flake8", "main.py", "helpers.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("local_plugin", [True, False], ids=["local-plugin", "entry-point"])
def test_real_flake8(tmp_path: Path, python: str, local_plugin: bool) -> None:
    if not local_plugin and not registered():
        pytest.skip("the flake8.extension entry point LW is not installed yet")
    if local_plugin and registered():
        pytest.skip("the entry point is installed: flake8 would load the plugin twice")
    if shutil.which(python) is None:
        pytest.skip("no interpreter")
    proc = run_flake8(tmp_path, python, local_plugin)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    assert lines[0].startswith("./helpers.py:5:9: LW104 ") or lines[0].startswith(
        "helpers.py:5:9: LW104 "
    )
