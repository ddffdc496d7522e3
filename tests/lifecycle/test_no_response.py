"""Returning instead of responding: each case answers 500 with its own message."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from .conftest import ASYNC_APP, SYNC_APP, lastword_warnings, line_of, wait_for_log

CASES = [
    # app, function, outcome, words of the log line, words of the body
    (SYNC_APP, "returns_coroutine", "returned-awaitable",
     ["returns_coroutine() is a plain `def` but returned", "_render", "an awaitable instead of a response", "`async def`"],
     b"returned an awaitable instead of a response"),
    (SYNC_APP, "returns_awaitable", "returned-awaitable",
     ["returns_awaitable() is a plain `def` but returned", "_Deferred", "an awaitable instead of a response"],
     b"returned an awaitable instead of a response"),
    (ASYNC_APP, "returns_coroutine", "returned-awaitable",
     ["returns_coroutine() is an `async def` but returned", "send_metrics", "an awaitable instead of a response", "`await` the call"],
     b"returned an awaitable instead of a response"),
    (SYNC_APP, "returns_none", "no-response",
     ["returns_none() returned without a response (it returned None or fell off its end)"],
     b"returned without a response"),
    (ASYNC_APP, "returns_none", "no-response",
     ["returns_none() returned without a response (it returned None or fell off its end)"],
     b"returned without a response"),
]


@pytest.mark.parametrize(
    "app, function, outcome, words, body", CASES,
    ids=[f"{'sync' if c[0] == SYNC_APP else 'async'}-{c[1]}" for c in CASES],
)
def test_returning_instead_of_responding(
    client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str, outcome: str,
    words: list[str], body: bytes,
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, function).get("/?tag=t-ret")
    assert result.status == 500
    assert body in result.content
    assert result.headers["x-lastword-outcome"] == outcome
    assert result.report is not None and result.report.outcome == outcome
    record = wait_for_log(caplog, f"{function}() ")
    assert record.levelno == logging.ERROR
    message = record.getMessage()
    assert message.startswith(f"{app}:{line_of(app, function, function)}: ")
    for word in words:
        assert word in message
    # nothing else: the returned coroutine was closed, so Python has nothing to warn about
    assert lastword_warnings(caplog, result.report.id) == [message]


@pytest.mark.parametrize("app, function", [(ASYNC_APP, "unawaited"), (SYNC_APP, "unawaited_in_sync")])
def test_coroutine_never_awaited(client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, function).get("/?tag=t-unawaited")
    assert result.status == 500
    assert b"created a coroutine it never awaited" in result.content
    assert result.headers["x-lastword-outcome"] == "unawaited-coroutine"
    report = result.report
    assert report is not None and report.outcome == "unawaited-coroutine"
    (work,) = report.leftovers
    called = "send_metrics('t-unawaited', 0.2)" if app == ASYNC_APP else "_render('t-unawaited')"
    assert work.kind == "unawaited coroutine" and work.description == called
    line = line_of(app, function, called.split("(")[0] + "(")
    assert work.site == f"{app}:{line}"
    record = wait_for_log(caplog, f"coroutine {called} was created by invocation {report.id}")
    assert "never awaited" in record.getMessage()
    assert "put `await` in front of the call" in record.getMessage()
