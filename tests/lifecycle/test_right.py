"""Work that is awaited, joined, gathered, cancelled, waited for or finished in time: no report."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ASYNC_APP, SYNC_APP, lastword_warnings

RIGHT = [
    (SYNC_APP, "thread_joined"),
    (SYNC_APP, "threads_list_joined"),
    (SYNC_APP, "with_executor"),
    (SYNC_APP, "future_result"),
    (SYNC_APP, "pool_map"),
    (SYNC_APP, "helper_joined"),
    (SYNC_APP, "nested_joined"),
    (SYNC_APP, "finished_before_response"),
    (SYNC_APP, "timer_cancelled"),
    (SYNC_APP, "subprocess_run"),
    (SYNC_APP, "popen_waited"),
    (SYNC_APP, "multiprocessing_joined"),
    (SYNC_APP, "hello"),
    (ASYNC_APP, "task_awaited"),
    (ASYNC_APP, "gathered"),
    (ASYNC_APP, "waited"),
    (ASYNC_APP, "task_group"),
    (ASYNC_APP, "cancelled"),
    (ASYNC_APP, "cancelled_not_awaited"),
    (ASYNC_APP, "executor_awaited"),
    (ASYNC_APP, "to_thread_awaited"),
    (ASYNC_APP, "finished_before_response"),
    (ASYNC_APP, "call_soon_ran"),
    (ASYNC_APP, "subprocess_waited"),
    (ASYNC_APP, "streamed"),
    (ASYNC_APP, "hello"),
]


def _case(app: Path, function: str) -> Any:
    needs_311 = function == "task_group" and sys.version_info < (3, 11)
    return pytest.param(
        app,
        function,
        id=f"{'sync' if app == SYNC_APP else 'async'}-{function}",
        marks=pytest.mark.skipif(needs_311, reason="asyncio.TaskGroup is new in Python 3.11"),
    )


@pytest.mark.parametrize("app, function", [_case(a, f) for a, f in RIGHT])
@pytest.mark.parametrize("policy", ["warn", "error"])
def test_no_report(client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str, policy: str) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, function, background=policy).get("/?tag=t-right")
    assert result.status == 200, result.text
    report = result.report
    assert report is not None
    assert report.clean and report.outcome == "ok", report
    assert report.cancelled == () and report.waited_for == ()
    assert not lastword_warnings(caplog)


@pytest.mark.parametrize(
    "app, function",
    [(SYNC_APP, "wait_until_callable"), (SYNC_APP, "wait_until_future"),
     (ASYNC_APP, "wait_until_coroutine"), (ASYNC_APP, "wait_until_task")],
)
def test_wait_until_is_tracked_never_reported_and_done_before_the_response(
    client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    import time

    started = time.monotonic()
    result = client(app, function, background="error").get("/?tag=t-wu")
    assert time.monotonic() - started >= 0.18, "cpu=request: the response waits for handed-off work"
    assert result.status == 200
    report = result.report
    assert report is not None and report.clean
    assert len(report.handed_off) == 1 and report.handed_off[0].state == "handed off"
    assert not lastword_warnings(caplog)
