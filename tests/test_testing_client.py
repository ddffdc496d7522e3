"""lastword.testing against a running server, and its pytest fixture."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from lastword.testing import Client, LeftoverWork

APP = """
import threading, time

def clean(request):
    return "clean"

def leaky(request):
    threading.Thread(target=time.sleep, args=(0.3,), name="leaky-upload").start()
    return "leaky"
"""


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "main.py"
    source.write_text(APP)
    return source


def test_client_against_a_running_server(serve: Any, tmp_path: Path) -> None:
    source = _source(tmp_path)
    clean = serve(source, "--target", "clean", env={"LASTWORD_REPORT_HEADER": "1"})
    result = Client(url=clean.url).get("/")
    assert result.status == 200 and result.text == "clean"
    assert result.report is not None and result.report.clean and result.report.function == "clean"

    leaky = serve(source, "--target", "leaky", env={"LASTWORD_REPORT_HEADER": "1"})
    with pytest.raises(LeftoverWork, match=r"main.py:8 in leaky: thread 'leaky-upload'"):
        Client(url=leaky.url).get("/")
    result = Client(url=leaky.url, allow_leftovers=True).get("/")
    assert result.report is not None
    assert [w.kind for w in result.report.leftovers] == ["thread"]


def test_no_report_without_the_header(serve: Any, tmp_path: Path) -> None:
    served = serve(_source(tmp_path), "--target", "leaky")
    result = Client(url=served.url).get("/")  # nothing to judge by: no report, no failure
    assert result.status == 200 and result.report is None


def test_pytest_fixture(lastword_client: Any, tmp_path: Path) -> None:
    client = lastword_client(str(_source(tmp_path)), target="leaky", allow_leftovers=True)
    result = client.get("/")
    assert result.text == "leaky"
    assert result.report is not None and len(result.report.leftovers) == 1
    assert "thread 'leaky-upload'" in str(result.report.leftovers[0])
    time.sleep(0.5)  # let the leftover thread end (and be reported) while this test still runs
