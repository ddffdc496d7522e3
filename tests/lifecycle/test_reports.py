"""What the reports say under each setting, and how repeats are summarized."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from lastword._invocation import Invocation
from lastword._reports import ReportLog
from lastword.testing import Client

from .conftest import ASYNC_APP, SYNC_APP, line_of, wait_for_log


def _messages(caplog: pytest.LogCaptureFixture, needle: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "lastword" and needle in r.getMessage()]


def test_cancel_says_a_thread_could_not_be_cancelled(
    client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(SYNC_APP, "save_left", background="cancel").get(f"/?path={tmp_path / 'x'}")
    (work,) = result.report.leftovers
    record = wait_for_log(caplog, f"invocation {result.report.id} of save_left() sent its response")
    text = record.getMessage()
    assert "could not be cancelled (policy 'cancel'): Python cannot stop a thread from outside." in text
    assert "It goes on running here." in text
    assert "join() it before returning" in text  # and how to fix it
    assert work.message == text


def test_cpu_always_says_billed_and_lost_at_scale_down(
    client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(ASYNC_APP, "save_left", cpu="always").get(f"/?path={tmp_path / 'x'}")
    (work,) = result.report.leftovers
    assert "CPU is taken away" not in work.message
    assert "With CPU always allocated (--cpu always) this task goes on running after the response, and is billed" in work.message
    assert "scale-down" in work.message and "await it" in work.message
    late = wait_for_log(caplog, f"of finished invocation {result.report.id}")
    assert "In production it ran after the response, billed" in late.getMessage()


def test_cpu_request_says_the_cpu_is_taken_away(client: Any, tmp_path: Path) -> None:
    result = client(ASYNC_APP, "save_left", cpu="request").get(f"/?path={tmp_path / 'x'}")
    (work,) = result.report.leftovers
    assert "On the platform the instance's CPU is taken away once the response is sent" in work.message


def test_repeats_are_summarized_and_every_invocation_keeps_its_report(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    site = f"{SYNC_APP}:{line_of(SYNC_APP, 'save_left', 'write_later')}"
    with Client(str(SYNC_APP), target="save_left", allow_leftovers=True) as served:
        results = [served.get(f"/?path={tmp_path / str(n)}") for n in range(3)]
        first, *others = (r.report for r in results)
        # the per-invocation record has every report in full
        for report in (first, *others):
            (work,) = report.leftovers
            assert work.site == site and "was still running when invocation" in work.message
        time.sleep(0.4)  # the threads end
        ids = [report.id for report in (first, *others)]
        full = [r.getMessage() for r in _messages(caplog, "was still running when invocation")]
        assert [i for i in ids if any(i in m for m in full)] == [first.id], "the first in full, only"
        ends = [r.getMessage() for r in _messages(caplog, "of finished invocation")]
        assert [i for i in ids if any(i in m for m in ends)] == [first.id]  # its end, only
        # every request line still names the leftover of its own invocation
        lines = [r.getMessage() for r in caplog.records if r.name == "lastword.request"]
        assert all("1 left running: " in line for line in lines) and len(lines) == 3
    # when the server stops, the repeats are counted
    (summary,) = _messages(caplog, "was left running again")
    assert summary.getMessage().startswith(f"{site} in save_left: thread was left running again by 2 more invocations of save_left()")
    assert f"(latest: {others[-1].id}); the first, invocation {first.id}, was reported in full above." in summary.getMessage()
    assert summary.levelno == logging.WARNING


def test_a_summary_is_due_once_the_interval_has_passed() -> None:
    """Repeats are counted; the next repeat after the interval logs the count (a fake clock)."""

    class Site:
        filename, lineno, name = "/app/main.py", 7, "handler"

    class FakeWork:
        kind = "thread"
        description = "'upload' running upload()"
        site = Site()
        cancelled_by_policy = False
        reported = False

        def __init__(self, invocation: Invocation):
            self.invocation = invocation

        def user_frames(self) -> list[Any]:
            return []

    now = [0.0]
    log = ReportLog(interval=60, clock=lambda: now[0])
    said: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    handler = Catch()
    logging.getLogger("lastword").addHandler(handler)
    try:
        for second in (0, 10, 20, 70, 80):
            now[0] = second
            invocation = Invocation(f"inv{second}", "handler", "warn", "request", 300)
            log.report(FakeWork(invocation), "left")  # type: ignore[arg-type]
        log.closed()
    finally:
        logging.getLogger("lastword").removeHandler(handler)
    assert said[0].startswith("/app/main.py:7 in handler: thread 'upload' running upload() was still running when invocation inv0")
    assert said[1].startswith("/app/main.py:7 in handler: thread was left running again by 3 more invocations of handler() in the last 70 s (latest: inv70); the first, invocation inv0")
    assert said[2].startswith("/app/main.py:7 in handler: thread was left running again by 1 more invocation of handler() in the last 10 s (latest: inv80)")
    assert len(said) == 3


def test_an_observer_that_fails_does_not_fail_the_request(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    import httpx

    from lastword._app import App
    from lastword._config import Config
    from lastword._loader import load

    def broken(invocation: Invocation) -> None:
        raise RuntimeError("observer bug")

    loaded, config = load(Config.build(flags={"source": str(ASYNC_APP), "target": "hello"}))
    app = App(loaded, config, observer=broken)

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.get("/")

    caplog.set_level(logging.INFO, logger="lastword")
    try:
        response = asyncio.run(get())
    finally:
        app.pool.shutdown()
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if "observer of the lifecycle" in r.getMessage()]
    assert "(CallbackObserver) failed" in record.getMessage() and record.exc_info is not None
