"""The supervisor and its workers, with real processes and signals: crashes, start-up failures,
orphans, PID 1's reaping, and the drain on SIGTERM and Ctrl-C."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import start_server

APP = Path(__file__).parent / "apps.py"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listing:
            found += [int(child) for child in listing.read().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def _entered(tmp_path: Path, count: int) -> None:
    """Wait until ``count`` requests are inside the function (it notes each in OUT_DIR)."""
    marks = tmp_path / "entered"
    assert _wait(lambda: marks.exists() and marks.read_text().count(".") >= count, 20)


def _wait(condition: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize(("how", "ending"), [("exit", "exited with status 1"), ("segfault", "was killed by SIGSEGV")])
def test_a_dead_worker_is_replaced_and_only_its_requests_fail(serve: Any, how: str, ending: str) -> None:
    served = serve(APP, "--target", "exits", "--log-format", "text")
    first = served.get("/").text
    response = served.get(f"/?how={how}", headers={"Function-Execution-Id": f"dies-{how}"})
    assert response.status_code == 503
    assert response.text == "Service Unavailable: the worker serving this request ended."
    log = served.wait_for_log(f"invocation dies-{how} failed: worker {first} {ending}")
    assert "Traceback" not in log
    assert _wait(lambda: served.get("/").status_code == 200)
    assert served.get("/").text != first  # a new worker serves
    assert f"worker {first} {ending} (unexpectedly); starting another." in served.logs()


def test_requests_on_other_workers_are_not_failed(serve: Any) -> None:
    served = serve(APP, "--target", "exits", "--workers", "2", "--log-format", "text")
    pids = {served.get("/").text for _ in range(20)}
    assert len(pids) == 2  # new connections go to the worker with fewer of them
    victim = sorted(pids)[0]
    with httpx.Client(base_url=served.url, timeout=10) as keep:
        survivors = [keep.get("/").text for _ in range(5)]  # one kept-alive connection
    os.kill(int(victim), signal.SIGKILL)
    served.wait_for_log(f"worker {victim} was killed by SIGKILL")
    assert _wait(lambda: all(served.get("/").status_code == 200 for _ in range(5)))
    assert survivors


def test_a_worker_that_cannot_start_stops_the_instance(tmp_path: Path) -> None:
    source = tmp_path / "main.py"
    source.write_text("def f(request):\n    return 'x'\nraise RuntimeError('no database')\n")
    with pytest.raises(AssertionError, match="lastword exited with 3") as failed:
        start_server(tmp_path, [str(source), "--target", "f"])
    assert str(failed.value).count("importing") == 1  # not respawned in a loop


def test_workers_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    served = start_server(tmp_path, [str(APP), "--target", "hello", "--workers", "2"])
    workers = _children(served.process.pid)
    assert len(workers) == 2
    port = int(served.url.rsplit(":", 1)[1])
    served.process.kill()
    served.process.wait()
    assert _wait(lambda: not any(_alive(pid) for pid in workers), 5)
    again = start_server(tmp_path, [str(APP), "--target", "hello", "--port", str(port)])
    try:
        assert again.get("/").status_code == 200  # the port is free again
    finally:
        again.stop()


def test_orphans_are_reaped_as_pid_1_would(serve: Any) -> None:
    served = serve(APP, "--target", "orphans")
    worker = int(served.process.pid)
    assert served.get("/").text == "done"
    time.sleep(0.5)  # the orphaned `sleep 0.2` is over
    for pid in _children(worker):
        with open(f"/proc/{pid}/stat") as stat:
            assert stat.read().split(") ", 1)[1][0] != "Z", "a zombie child"


# --- shutdown -----------------------------------------------------------------------------------


def test_sigterm_lets_requests_finish_refuses_new_ones_and_exits_0(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "hello", "--workers", "2", env={"OUT_DIR": str(tmp_path)})
    host, port = served.url.removeprefix("http://").split(":")
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        slow = [pool.submit(served.get, "/?s=1") for _ in range(20)]
        _entered(tmp_path, 20)  # all in flight
        served.process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((host, int(port)), timeout=5)
        assert time.monotonic() - started < 1.0  # refused at once, not after the grace period
        statuses = [future.result().status_code for future in slow]
    assert statuses == [200] * 20  # every accepted request got its full response
    assert served.process.wait(15) == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_connection_accepted_before_the_drain_gets_its_response(
    serve: Any, tmp_path: Path, workers: str
) -> None:
    """A client that connected before SIGTERM and sends its request just after it is served (once,
    with ``Connection: close``): the drain must not close a connection whose request is on its way.
    (A reload or a recycled worker drains the same way: this lost requests under --reload.)"""
    served = serve(APP, "--target", "hello", "--workers", workers, env={"OUT_DIR": str(tmp_path)})
    host, port = served.url.removeprefix("http://").split(":")
    busy = concurrent.futures.ThreadPoolExecutor(1)
    slow = busy.submit(served.get, "/?s=1")  # keeps the drain going past the request below
    _entered(tmp_path, 1)
    with socket.create_connection((host, int(port)), timeout=5) as early:
        time.sleep(0.3)  # accepted and handed to a worker
        served.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)  # the drain has begun
        early.sendall(b"GET / HTTP/1.1\r\nHost: lastword\r\n\r\n")
        answer = b""
        while chunk := early.recv(65536):
            answer += chunk
    busy.shutdown(wait=True)
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 200"), answer
    assert b"connection: close" in head
    assert slow.result().status_code == 200
    assert served.process.wait(15) == 0


def test_a_fresh_connection_is_closed_once_the_drain_no_longer_waits_for_it(serve: Any) -> None:
    """A connection that never sends a request does not hold the shutdown up for the grace period."""
    served = serve(APP, "--target", "hello", "--grace", "20")
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as silent:
        time.sleep(0.3)
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        assert silent.recv(100) == b""  # closed, without a response to a request never sent
        assert served.process.wait(10) == 0
        assert time.monotonic() - started < 5


def test_shutdown_reports_abandoned_work(serve: Any) -> None:
    served = serve(APP, "--target", "writes_after", "--log-format", "text", "--cpu", "always")
    response = served.get("/", headers={"Function-Execution-Id": "leaves-it"})
    assert response.text == "left"
    assert served.stop(signal.SIGTERM) == 0
    log = served.logs()
    assert "abandoned at shutdown: thread 'abandoned-sleeper'" in log
    assert "invocation leaves-it of writes_after()" in log
    assert f"{APP}:" in log.split("abandoned at shutdown")[0].rsplit("\n", 1)[-1]


def test_requests_past_the_grace_period_get_503_and_a_line(serve: Any, tmp_path: Path) -> None:
    served = serve(
        APP, "--target", "sleeps", "--grace", "1", "--log-format", "text",
        env={"OUT_DIR": str(tmp_path)},
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pending = pool.submit(served.get, "/?s=30", headers={"Function-Execution-Id": "too-long"})
        _entered(tmp_path, 1)
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        response = pending.result()
    assert response.status_code == 503
    assert served.process.wait(10) == 0
    assert time.monotonic() - started < 8
    log = served.logs()
    assert "invocation too-long of sleeps() was still running when the grace period" in log
    assert log.count("was still running when the grace period") == 1 and "Traceback" not in log


def test_ctrl_c_twice_stops_at_once_without_tracebacks(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "sleeps", "--grace", "20", env={"OUT_DIR": str(tmp_path)})
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pending = pool.submit(lambda: httpx.get(served.url + "/?s=30", timeout=30))
        _entered(tmp_path, 1)
        served.process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        started = time.monotonic()
        served.process.send_signal(signal.SIGINT)
        code = served.process.wait(5)
        assert time.monotonic() - started < 3
        with pytest.raises(httpx.HTTPError):
            pending.result()
    assert code == 130
    log = served.logs()
    assert "Ctrl-C again to stop now" in log and "stopping now" in log
    assert "Traceback" not in log


def test_a_slot_read_while_it_is_written_is_not_taken_for_a_stuck_invocation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The supervisor reads each worker's table without a lock. A slot caught half-written (in use,
    its deadline and id not there yet) once made it answer 504 for a healthy invocation and replace
    the worker under load: a slot in use must be written state last, and only an invocation seen
    overdue by two reads is acted upon."""
    from lastword._config import Config
    from lastword._serving import channel as ch
    from lastword._serving.supervisor import Supervisor, WorkerHandle

    table = ch.Table.create(4)
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        supervisor = Supervisor(Config.build(flags={"target": "f"}))
        worker = WorkerHandle(0, os.getpid(), mine, table)
        worker.state = "retiring-in-this-test"  # nothing to replace: only the verdicts matter
        # what the worker writes first now: every field, the slot still free
        offset = ch.HEADER_SIZE
        ch._SLOT.pack_into(table.view, offset, ch.FREE, 1, 0.0, 0.0, b"")
        supervisor._backstop(worker, time.monotonic())
        assert table.view[offset] == ch.FREE
        # a torn read of a fresh slot: in use, no deadline or id yet; seen once, then written
        table.view[offset] = ch.RUNNING
        supervisor._backstop(worker, time.monotonic())
        table.write(0, 1, time.monotonic(), time.monotonic() + 300, "healthy")
        supervisor._backstop(worker, time.monotonic())
        assert table.view[offset] == ch.RUNNING
        assert "did not answer it" not in caplog.text
        # really stuck: overdue on two reads in a row
        table.write(0, 1, time.monotonic() - 10, time.monotonic() - 5, "stuck")
        supervisor._backstop(worker, time.monotonic())
        assert table.view[offset] == ch.RUNNING
        supervisor._backstop(worker, time.monotonic())
        assert table.view[offset] == ch.ANSWERED
        assert "invocation stuck passed its deadline" in caplog.text
    finally:
        mine.close()
        theirs.close()
        table.close()
        worker.watch.close()
