"""Every kind of background work is attributed to the invocation that started it, and reported."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import ASYNC_APP, SYNC_APP, line_of, wait_for_log

# (app, function, kind, words of the description, text on the line that started it)
LEFT_BEHIND = [
    (SYNC_APP, "thread_left", "thread", ["'upload-{tag}'", "upload('{tag}')"], "threading.Thread("),
    (SYNC_APP, "timer_left", "thread", ["threading.Timer(0.2, flush_metrics('{tag}'))"], "threading.Timer("),
    (SYNC_APP, "subclass_left", "thread", ["'uploader-{tag}'", "Uploader.run"], "Uploader("),
    (SYNC_APP, "pool_left", "executor job", ["upload('{tag}') via ThreadPoolExecutor.submit"], "UPLOADS.submit("),
    (SYNC_APP, "popen_left", "child process", ["'sleep 0.3'", "subprocess.Popen"], "subprocess.Popen("),
    (SYNC_APP, "multiprocessing_left", "child process", ["'crunch-{tag}'", "crunch('{tag}')", "multiprocessing"], "process.start()"),
    (ASYNC_APP, "task_left", "asyncio task", ["send_metrics('{tag}', 0.2) (task 'Task-"], "asyncio.create_task("),
    (ASYNC_APP, "ensure_future_left", "asyncio task", ["send_metrics('{tag}', 0.2) (task 'Task-"], "asyncio.ensure_future("),
    (ASYNC_APP, "run_in_executor_left", "executor job", ["upload('{tag}') via loop.run_in_executor"], "run_in_executor("),
    (ASYNC_APP, "call_later_left", "loop callback", ["loop.call_later(0.2, flush('{tag}'))"], "call_later("),
    (ASYNC_APP, "call_soon_left", "loop callback", ["loop.call_soon(flush('{tag}'))"], "call_soon("),
    (ASYNC_APP, "subprocess_left", "child process", ["'sleep 0.3'", "asyncio subprocess"], "create_subprocess_exec("),
]


@pytest.mark.parametrize(
    "app, function, kind, words, line_text", LEFT_BEHIND, ids=[case[1] for case in LEFT_BEHIND]
)
def test_left_behind_work_is_reported(
    client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str, kind: str,
    words: list[str], line_text: str,
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, function).get(f"/?tag=t-{function}")
    assert result.status == 200
    report = result.report
    assert report is not None and report.outcome == "ok"
    assert len(report.leftovers) == 1, report.leftovers
    work = report.leftovers[0]
    assert work.kind == kind
    for word in words:
        assert word.format(tag=f"t-{function}") in work.description
    assert work.site == f"{app}:{line_of(app, function, line_text)}"
    assert work.state == "running"
    assert not report.clean
    # the log line says the same, with the invocation's id and what to do
    record = wait_for_log(caplog, f"invocation {report.id} of {function}() sent its response")
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"{work.site} in {function}: {kind} ")
    if kind == "child process":  # processes are watched until they end
        wait_for_log(caplog, f"of finished invocation {report.id} ({function}()), started at")


def test_to_thread_in_a_task_left(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(ASYNC_APP, "to_thread_left").get("/?tag=t-tt")
    assert result.report is not None
    # the task had not started when the function returned; it gets a moment to (it is ready to
    # run), and submits the job: both are left running, reported at the user's line (the job
    # through the task it was started from: asyncio's own frames are all its stack has)
    task, job = sorted(result.report.leftovers, key=lambda w: w.kind)
    line = line_of(ASYNC_APP, "to_thread_left", "asyncio.to_thread(")
    assert task.kind == "asyncio task"
    assert task.description.startswith("to_thread(upload, ('t-tt',)")
    assert task.site == f"{ASYNC_APP}:{line}"
    assert job.kind == "executor job" and job.description == "upload('t-tt') via asyncio.to_thread"
    assert job.site == f"{ASYNC_APP}:{line}"
    record = wait_for_log(caplog, f"executor job upload('t-tt') via asyncio.to_thread was still running when invocation {result.report.id}")
    assert record.getMessage().startswith(f"{ASYNC_APP}:{line} in to_thread_left:")


def test_helper_in_another_module_reports_the_helper_line_and_the_caller(client: Any) -> None:
    result = client(SYNC_APP, "helper_left").get("/?tag=t-helper")
    assert result.report is not None
    (work,) = result.report.leftovers
    helpers = SYNC_APP.parent / "lc_helpers.py"
    assert work.site == f"{helpers}:{line_of(helpers, 'start_upload', 'thread.start()')}"
    assert "'helper-upload-t-helper' running store_blob('t-helper', 0.2)" in work.description
    # the short stack goes back to the function that called the helper
    assert f'File "{SYNC_APP}", line {line_of(SYNC_APP, "helper_left", "lc_helpers.")}' in work.message


def test_thread_started_by_another_thread(client: Any) -> None:
    result = client(SYNC_APP, "nested_left").get("/?tag=t-nest")
    assert result.report is not None
    works = {w.description.split()[0]: w for w in result.report.leftovers}
    assert set(works) == {"'outer-t-nest'", "'inner-t-nest'"}
    outer_line = line_of(SYNC_APP, "nested_left", 'name=f"outer-{tag}"')
    inner_line = line_of(SYNC_APP, "nested_left", 'name=f"inner-{tag}"')
    assert works["'outer-t-nest'"].site == f"{SYNC_APP}:{outer_line}"
    assert works["'inner-t-nest'"].site == f"{SYNC_APP}:{inner_line}"


def test_late_finish_is_logged_against_the_finished_invocation(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    # a server of its own: another leftover from the same line in the same server is a repeat,
    # summarized with its end instead of logged again
    result = client(SYNC_APP, "thread_left", background="warn").get("/?tag=t-late")
    assert result.report is not None
    record = wait_for_log(caplog, f"of finished invocation {result.report.id} (thread_left())")
    assert "'upload-t-late'" in record.getMessage()
    assert "after its response" in record.getMessage()


@pytest.mark.parametrize(
    "app, function, error",
    [(SYNC_APP, "thread_raises_later", "ValueError"), (ASYNC_APP, "task_raises_later", "RuntimeError")],
)
def test_exception_after_the_response_names_the_finished_invocation(
    client: Any, caplog: pytest.LogCaptureFixture, app: Path, function: str, error: str
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    result = client(app, function).get("/?tag=t-boom")
    assert result.status == 200
    assert result.report is not None
    record = wait_for_log(caplog, f"exception from a finished invocation {result.report.id}")
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0].__name__ == error
    assert "t-boom" in str(record.exc_info[1])


def test_import_time_work_is_not_attributed(client: Any) -> None:
    # lc_sync_app creates its pool at import; the pool's threads serve every invocation
    result = client(SYNC_APP, "future_result").get("/?tag=t-imp")
    assert result.report is not None and result.report.leftovers == ()
    time.sleep(0)


def test_dependencies_vendored_into_the_function_folder_are_libraries(serve: Any, tmp_path: Path) -> None:
    """``pip install -t vendor`` with ``PYTHONPATH=vendor``: the vendored SDK's frames are a
    library's, so the report names the user's call into it, not the SDK's own thread start."""
    import json

    app = tmp_path / "app"
    (app / "vendor" / "fakesdk").mkdir(parents=True)
    (app / "vendor" / "fakesdk" / "__init__.py").write_text(
        "import threading, time\n"
        "class Client:\n"
        "    def send(self, item):\n"
        "        worker = threading.Thread(target=time.sleep, args=(0.5,), name='fakesdk-sender')\n"
        "        worker.start()\n"
    )
    (app / "main.py").write_text(
        "import fakesdk\n"
        "client = fakesdk.Client()\n"
        "def handler(request):\n"
        "    client.send('event')\n"
        "    return 'sent'\n"
    )
    served = serve(
        app / "main.py", "--target", "handler", "--background", "error",
        env={"PYTHONPATH": str(app / "vendor"), "LASTWORD_REPORT_HEADER": "1"},
    )
    response = served.get("/")
    assert response.status_code == 500
    (work,) = json.loads(response.headers["x-lastword-report"])["leftovers"]
    assert work["kind"] == "thread" and "fakesdk-sender" in work["description"]
    assert work["site"] == f"{app / 'main.py'}:4"
