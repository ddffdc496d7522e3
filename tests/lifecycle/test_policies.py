"""What lastword does with work still running when the response goes out: warn, wait, cancel, error."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from lastword.testing import Client, LeftoverWork

from .conftest import APPS, ASYNC_APP, SYNC_APP, lastword_warnings, line_of, wait_for_log


def _timed_get(client: Client, path: str) -> tuple[Any, float]:
    started = time.monotonic()
    result = client.get(path)
    return result, time.monotonic() - started


@pytest.mark.parametrize("app", [ASYNC_APP, SYNC_APP], ids=["task", "thread"])
def test_warn_sends_the_response_then_reports(
    client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path, app: Path
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    out = tmp_path / "saved"
    result, seconds = _timed_get(client(app, "save_left"), f"/?path={out}")
    assert result.status == 200 and result.text == "accepted"
    assert not out.exists(), "warn does not hold the response"
    assert result.report is not None and result.report.policy == "warn"
    (work,) = result.report.leftovers
    kind = "asyncio task" if app == ASYNC_APP else "thread"
    site = f"{app}:{line_of(app, 'save_left', 'write_later')}"
    # kind, user file:line, the invocation, what happens in production and how to fix it
    message = work.message
    assert message.startswith(f"{site} in save_left: {kind} ")
    assert f"when invocation {result.report.id} of save_left() sent its response." in message
    assert "On the platform the" in message and "CPU is taken away once the response is sent" in message
    fix = "await it" if kind == "asyncio task" else "join() it"
    assert fix in message and "lastword.wait_until()" in message
    assert f'File "{app}", line {site.rsplit(":", 1)[1]}, in save_left' in message
    assert message in lastword_warnings(caplog)
    # later: the work ends, and that is logged against the finished invocation
    wait_for_log(caplog, f"of finished invocation {result.report.id} (save_left())")
    assert out.read_text() == "written"


@pytest.mark.parametrize("app", [ASYNC_APP, SYNC_APP], ids=["task", "thread"])
def test_wait_holds_the_response_until_the_work_is_done(
    client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path, app: Path
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    out = tmp_path / "saved"
    result, seconds = _timed_get(client(app, "save_left", background="wait"), f"/?path={out}")
    assert out.read_text() == "written", "the work finished before the response arrived"
    assert seconds >= 0.18
    assert result.status == 200
    report = result.report
    assert report is not None and report.policy == "wait"
    assert report.leftovers == ()
    (work,) = report.waited_for
    assert work.state == "waited" and work.site == f"{app}:{line_of(app, 'save_left', 'write_later')}"
    record = wait_for_log(caplog, f"invocation {report.id} of save_left(): held the response")
    assert "await this work in the function itself" in record.getMessage()
    assert not lastword_warnings(caplog)


def test_cancel_cancels_asyncio_work(client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    out = tmp_path / "saved"
    result = client(ASYNC_APP, "save_left", background="cancel").get(f"/?path={out}")
    assert result.status == 200
    report = result.report
    assert report is not None and report.leftovers == ()
    (work,) = report.cancelled
    assert work.kind == "asyncio task" and work.state == "cancelled"
    record = wait_for_log(caplog, f"was cancelled before invocation {report.id} sent its response (policy 'cancel')")
    assert "the rest of its work was not done" in record.getMessage()
    time.sleep(0.3)
    assert not out.exists(), "the cancelled task never wrote"
    assert not any("finished invocation" in m for m in lastword_warnings(caplog))


def test_cancel_cancels_callbacks_and_tasks(client: Any) -> None:
    result = client(ASYNC_APP, "timer_and_callback_left", background="cancel").get("/?tag=t-cx")
    assert result.report is not None and result.report.leftovers == ()
    assert sorted(w.kind for w in result.report.cancelled) == ["asyncio task", "loop callback"]


def test_cancel_cancels_a_timer(client: Any, tmp_path: Path) -> None:
    out = tmp_path / "saved"
    result = client(SYNC_APP, "timer_left_long", background="cancel").get(f"/?path={out}")
    assert result.report is not None and result.report.leftovers == ()
    (work,) = result.report.cancelled
    assert "threading.Timer(0.3, write_later(" in work.description
    time.sleep(0.4)
    assert not out.exists()


def test_cancel_reports_what_it_cannot_cancel(client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    out = tmp_path / "saved"
    result = client(SYNC_APP, "save_left", background="cancel").get(f"/?path={out}")
    assert result.status == 200
    assert result.report is not None and result.report.cancelled == ()
    (work,) = result.report.leftovers
    assert work.kind == "thread" and work.state == "running"
    wait_for_log(caplog, "thread 'save' running write_later(")


@pytest.mark.parametrize("app", [ASYNC_APP, SYNC_APP], ids=["task", "thread"])
def test_error_answers_500_and_reports(client: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path, app: Path) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, "save_left", background="error").get(f"/?path={tmp_path / 'x'}")
    assert result.status == 500
    assert result.headers["x-lastword-outcome"] == "left-work"
    assert b"left background work running" in result.content
    report = result.report
    assert report is not None and report.outcome == "left-work" and report.status == 500
    (work,) = report.leftovers
    assert work.site == f"{app}:{line_of(app, 'save_left', 'write_later')}"
    # the log says the response was replaced, at ERROR: not the words of 'warn'
    record = wait_for_log(
        caplog, f"so invocation {report.id} was answered with a 500 instead of its response (policy 'error')"
    )
    assert record.levelno == logging.ERROR
    assert "sent its response" not in record.getMessage().splitlines()[0]
    assert work.message == record.getMessage()


def test_error_policy_is_quiet_when_nothing_is_left(client: Any) -> None:
    result = client(ASYNC_APP, "task_awaited", background="error").get("/?tag=t")
    assert result.status == 200 and result.report is not None and result.report.clean


def test_declared_policy_overrides_the_option(client: Any, tmp_path: Path) -> None:
    out = tmp_path / "saved"
    result, seconds = _timed_get(client(ASYNC_APP, "declared_wait", background="error"), f"/?path={out}")
    assert result.status == 200
    assert out.read_text() == "written"
    assert result.report is not None and result.report.policy == "wait"
    assert len(result.report.waited_for) == 1

    result = client(ASYNC_APP, "declared_warn", background="error").get(f"/?path={tmp_path / 'other'}")
    assert result.status == 200
    assert result.report is not None and result.report.policy == "warn"
    assert len(result.report.leftovers) == 1


def test_leftovers_fail_a_test_by_default(tmp_path: Path) -> None:
    with Client(str(ASYNC_APP), target="save_left") as strict, pytest.raises(LeftoverWork) as raised:
        strict.get(f"/?path={tmp_path / 'x'}")
    assert "save_left() left 1 piece(s) of work behind" in str(raised.value)


def test_policy_from_flag_and_environment(serve: Any, tmp_path: Path) -> None:
    """The command line's --background and LASTWORD_BACKGROUND, on a real `lastword serve`."""
    served = serve(APPS / "lc_async_app.py", "--target", "save_left", env={"LASTWORD_BACKGROUND": "error"})
    response = served.get("/", params={"path": str(tmp_path / "a")})
    assert response.status_code == 500
    assert response.headers["x-lastword-outcome"] == "left-work"

    served = serve(APPS / "lc_async_app.py", "--target", "save_left", "--background", "wait",
                   env={"LASTWORD_BACKGROUND": "error"})
    response = served.get("/", params={"path": str(tmp_path / "b")})
    assert response.status_code == 200
    assert (tmp_path / "b").read_text() == "written"
