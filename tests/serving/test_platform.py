"""What the platform does to a function, done to it here: CPU only while serving, deadlines,
concurrency with a queue, the memory limit, and a health check that is always answered."""

from __future__ import annotations

import concurrent.futures
import re
import time
from pathlib import Path
from typing import Any

import httpx

from .test_process_model import APP, _entered, _wait


def _lines(path: Path) -> list[float]:
    return [float(line) for line in path.read_text().split()] if path.exists() else []


# --- CPU only while serving ---------------------------------------------------------------------


def _stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] == "T"


def _worker_of(served: Any) -> int:
    from .test_process_model import _children

    (worker,) = _children(served.process.pid)
    return worker


def test_left_work_is_frozen_while_idle_and_resumes_inside_the_next_request(
    serve: Any, tmp_path: Path
) -> None:
    served = serve(APP, "--target", "progress", "--log-format", "text", env={"OUT_DIR": str(tmp_path)})
    ticks = tmp_path / "t1"
    first = served.get("/?name=t1&ticks=40", headers={"Function-Execution-Id": "starts-it"})
    assert first.text == "ticking"
    worker = _worker_of(served)
    assert _wait(lambda: _stopped(worker), 10), "the idle worker was not frozen"
    idle_from = len(_lines(ticks))
    time.sleep(1.0)
    assert len(_lines(ticks)) == idle_from, "the left-over thread ran while the instance was idle"
    assert _stopped(worker)
    sent = time.monotonic()
    busy = served.get("/?name=x&busy=0.5", headers={"Function-Execution-Id": "wakes-it"})
    assert busy.text == "busy done"
    assert _wait(lambda: _stopped(worker), 10)  # idle again: frozen again
    during = _lines(ticks)[idle_from:]
    assert during, "the thread did not resume while the next request ran"
    assert all(t >= sent - 0.01 for t in during)  # it ran again only once that request came
    while len(_lines(ticks)) < 40:  # give it request time until it is done
        served.get("/?name=x&busy=0.3", headers={"Function-Execution-Id": "wakes-it"})
    log = served.wait_for_log("finished")
    assert "invocation starts-it" in log
    assert re.search(r"It was frozen \d+\.\d+ s after that response, .* resumed during invocation wakes-it", log)


def test_with_cpu_always_left_work_runs_while_idle(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "progress", "--cpu", "always", env={"OUT_DIR": str(tmp_path)})
    ticks = tmp_path / "t2"
    served.get("/?name=t2&ticks=60")
    time.sleep(0.4)
    before = len(_lines(ticks))
    time.sleep(0.6)
    assert len(_lines(ticks)) > before


# --- deadlines ----------------------------------------------------------------------------------


def _timed(served: Any, path: str, ident: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.get(served.url + path, headers={"Function-Execution-Id": ident}, timeout=30)
    return response, time.monotonic() - started


def test_a_sync_function_past_its_deadline_gets_504_and_its_worker_replaced(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "sleeps", "--timeout", "1", "--log-format", "text", env={"OUT_DIR": str(tmp_path)})
    response, took = _timed(served, "/?s=30", "late-sync")
    assert response.status_code == 504
    assert response.text == "Gateway Timeout: the function did not respond before its deadline."
    assert took < 15  # not the 30 s the function sleeps
    log = served.wait_for_log("replacing worker")
    assert "sleeps() was still running at its deadline (1 s, --timeout) — invocation late-sync" in log
    assert "Where it was at the deadline:" in log and f'{APP}", line' in log and "in sleeps" in log
    assert "A thread cannot be stopped" in log
    assert served.get("/?s=0").text == "slept"  # and serving goes on


def test_an_async_function_past_its_deadline_is_cancelled(serve: Any) -> None:
    served = serve(APP, "--target", "sleeps_async", "--timeout", "1", "--log-format", "text")
    response, _ = _timed(served, "/?s=30", "late-async")
    assert response.status_code == 504
    log = served.wait_for_log("lastword cancelled it")
    assert "invocation late-async" in log and "in sleeps_async" in log
    assert "replacing worker" not in log


def test_cpu_bound_code_on_the_loop_is_answered_and_interrupted(serve: Any) -> None:
    served = serve(APP, "--target", "spins_async", "--timeout", "1", "--log-format", "text")
    worker = served.get("/?s=0").text and None
    response, took = _timed(served, "/?s=30", "spinning")
    assert response.status_code == 504
    assert took < 15
    log = served.wait_for_log("The event loop itself was stuck")
    assert "invocation spinning" in log and "in spins_async" in log
    assert served.get("/?s=0").status_code == 200  # the same worker goes on: it was interrupted
    assert "replacing worker" not in served.logs()
    del worker


def test_a_function_holding_the_interpreter_is_answered_by_the_supervisor(serve: Any) -> None:
    served = serve(APP, "--target", "holds_the_interpreter", "--timeout", "1", "--log-format", "text")
    response, took = _timed(served, "/?s=8", "stuck-in-c")
    assert response.status_code == 504
    assert took < 7  # before the C call returns (8 s)
    log = served.wait_for_log("did not answer it")
    assert "invocation stuck-in-c passed its deadline" in log
    assert _wait(lambda: "replacing worker" in served.logs())


def test_other_requests_are_served_while_one_times_out(serve: Any) -> None:
    served = serve(APP, "--target", "hello", "--timeout", "2")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        late = pool.submit(_timed, served, "/?s=30", "late")
        for _ in range(5):
            assert served.get("/").status_code == 200
        assert late.result()[0].status_code == 504


# --- concurrency --------------------------------------------------------------------------------


def test_concurrency_queues_then_refuses_with_429(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "hello", "--concurrency", "1", "--log-format", "text", env={"OUT_DIR": str(tmp_path)})
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        running = pool.submit(served.get, "/?s=1.5")
        _entered(tmp_path, 1)
        queued = pool.submit(served.get, "/?s=0.1")
        time.sleep(0.3)
        refused = served.get("/")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert "concurrency" in refused.text
        assert served.get("/_lastword/health").text == "ok"  # never queued
        assert running.result().status_code == 200
        assert queued.result().status_code == 200  # it waited its turn
    assert "refused a request to hello() with 429" in served.wait_for_log("429")


def test_health_is_answered_while_every_thread_is_busy(serve: Any, tmp_path: Path) -> None:
    served = serve(APP, "--target", "hello", "--threads", "1", env={"OUT_DIR": str(tmp_path)})
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        busy = [pool.submit(served.get, "/?s=2") for _ in range(3)]
        _entered(tmp_path, 1)
        health = served.get("/_lastword/health")
        assert health.status_code == 200 and health.text == "ok"
        assert all(f.result().status_code == 200 for f in busy)


# --- memory -------------------------------------------------------------------------------------


def test_a_worker_over_the_memory_limit_is_replaced(serve: Any) -> None:
    served = serve(APP, "--target", "allocates", "--memory", "150Mi", "--log-format", "text")
    response = served.get("/?mb=400", headers={"Function-Execution-Id": "hog"})
    assert response.status_code == 500
    assert "memory limit" in response.text
    log = served.wait_for_log("invocation hog failed")
    assert "memory limit exceeded" in log and "over --memory 150Mi" in log
    assert _wait(lambda: served.get("/?mb=1").status_code == 200)


def test_requests_arriving_as_the_worker_freezes_are_never_stuck(serve: Any) -> None:
    """A request that reaches a worker just as it goes idle (around the moment the supervisor
    freezes it) is served: the worker counts what it read, the supervisor checks the count once
    the worker has stopped, and thaws it if anything arrived. Gaps around the freeze delay, on one
    kept-alive connection and on new ones."""
    import random

    served = serve(APP, "--target", "hello")
    gaps = random.Random(7)
    with httpx.Client(base_url=served.url, timeout=5) as keep:
        for _ in range(80):
            time.sleep(gaps.uniform(0.0, 0.012))
            assert keep.get("/").status_code == 200
            time.sleep(gaps.uniform(0.0, 0.012))
            assert httpx.get(served.url + "/", timeout=5).status_code == 200
