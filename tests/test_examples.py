"""The examples do what their READMEs say."""

from __future__ import annotations

from pathlib import Path

from lastword.testing import Client, LeftoverWork

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_hello_example() -> None:
    with Client(str(EXAMPLES / "hello" / "main.py")) as client:
        assert client.get("/?name=ada").text == "Hello, ada!\n"


def test_terminate_ok() -> None:
    with Client(str(EXAMPLES / "terminate" / "main.py"), target="ok") as client:
        result = client.get("/")
    assert result.status == 200 and result.report is not None and result.report.clean


def test_terminate_wrong_returns_awaitable() -> None:
    with Client(str(EXAMPLES / "terminate" / "main.py"), target="wrong_returns_awaitable") as client:
        result = client.get("/")
    assert result.status == 500
    assert result.report is not None and result.report.outcome == "returned-awaitable"


def test_terminate_wrong_work_after_response() -> None:
    source = str(EXAMPLES / "terminate" / "main.py")
    with Client(source, target="wrong_work_after_response") as client:
        try:
            client.get("/")
        except LeftoverWork as exc:
            assert "main.py:35 in wrong_work_after_response" in str(exc)
            assert "asyncio task send_metrics('wrong_work_after_response')" in str(exc)
        else:
            raise AssertionError("the leftover task was not reported")
    with Client(
        source, target="wrong_work_after_response", background="error", allow_leftovers=True
    ) as client:
        result = client.get("/")
    assert result.status == 500 and result.report is not None
    assert result.report.outcome == "left-work"


def test_check_finds_both_wrong_terminate_functions() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lastword", "check", "--format", "json", str(EXAMPLES / "terminate")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "LW301" in result.stdout and "LW101" in result.stdout
    assert result.stdout.count('"code"') == 2, result.stdout
