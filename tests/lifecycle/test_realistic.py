"""Functions written the way deployed functions are, with clients that start work of their own.

A library's long-lived infrastructure started on first use (a log listener's thread, a tracer's
exporter, an asyncio client's flush task, an event loop in a thread) is not the invocation's
leftover; the work the function dropped on it (an unawaited publish, a coroutine handed to that
loop) is. The stand-ins under ``apps/realistic/lib`` imitate the real SDKs and count as libraries.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import line_of

APPS = Path(__file__).parent / "apps" / "realistic"
SYNC = APPS / "rl_sync.py"
ASYNC = APPS / "rl_async.py"


def timed(client: Any, path: str = "/") -> tuple[Any, float]:
    started = time.monotonic()
    result = client.get(path)
    return result, time.monotonic() - started


# --- pubsub-style publishing ------------------------------------------------------------------


def test_publish_awaited_leaves_nothing(client: Any) -> None:
    served = client(SYNC, "publish_awaited", background="error")
    for _ in range(2):  # the commit threads are started by this invocation, and ended with it
        result = served.get("/?m=a")
        assert result.status == 200, result.report
        assert result.report.clean, result.report.leftovers


def test_publish_dropped_is_reported_at_the_publish_call(client: Any) -> None:
    result = client(SYNC, "publish_dropped").get("/?m=lost")
    (work,) = result.report.leftovers
    assert work.kind == "thread"
    assert "PublisherClient._wait_and_commit" in work.description
    assert work.site == f"{SYNC}:{line_of(SYNC, 'publish_dropped', 'publisher.publish(')}"


# --- infrastructure started lazily ------------------------------------------------------------


def test_lazy_log_listener_is_not_waited_for(client: Any) -> None:
    served = client(SYNC, "log_via_lazy_listener", background="wait", timeout=3)
    module = sys.modules["rl_sync"]
    for number in range(2):
        result, seconds = timed(served, f"/?m=req{number}")
        assert result.status == 200
        assert seconds < 1.5, f"'wait' held the response {seconds:.1f} s for the listener's thread"
        assert not result.report.leftovers
        assert f"handled req{number}" in module.LOG_OUTPUT.getvalue()  # waited until it was written


def test_a_listener_started_in_every_request_is_a_leak(client: Any) -> None:
    served = client(SYNC, "listener_per_request")
    first = served.get("/")
    assert not first.report.leftovers  # one idle listener: could be the app's infrastructure
    second = served.get("/")
    (work,) = second.report.leftovers  # another one from the same line: it is not
    assert work.kind == "thread" and "QueueListener._monitor" in work.description
    assert work.site == f"{SYNC}:{line_of(SYNC, 'listener_per_request', 'listener.start()')}"


def test_lazy_trace_exporter_does_not_fail_the_first_request(client: Any) -> None:
    served = client(SYNC, "trace_via_lazy_exporter", background="error")
    for _ in range(2):
        result = served.get("/")
        assert result.status == 200, result.report
        assert result.report.clean


# --- an event loop of the function's own, in a thread -----------------------------------------


def test_loop_thread_is_infrastructure_and_awaited_coroutines_are_clean(client: Any) -> None:
    served = client(SYNC, "loop_awaited", background="error")
    for _ in range(2):
        result = served.get("/")
        assert (result.status, result.text) == (200, "awaited"), result.report
        assert result.report.clean


@pytest.mark.parametrize("policy", ["warn", "cancel"])
def test_coroutine_dropped_on_the_loop_thread_is_reported(client: Any, policy: str) -> None:
    served = client(SYNC, "loop_dropped", background=policy)
    module = sys.modules["rl_sync"]
    result = served.get(f"/?m=dropped-{policy}")
    works = result.report.leftovers if policy == "warn" else result.report.cancelled
    assert [w.kind for w in works] == ["asyncio task"], result.report
    (work,) = works
    assert work.description == f"store('dropped-{policy}', 0.3) via asyncio.run_coroutine_threadsafe"
    assert work.site == f"{SYNC}:{line_of(SYNC, 'loop_dropped', 'run_coroutine_threadsafe(')}"
    assert not [w for w in result.report.leftovers if w.kind == "thread"]  # the loop's thread
    if policy == "cancel":
        time.sleep(0.4)
        assert f"dropped-{policy}" not in module.DONE


# --- an asyncio client with a long-lived task -------------------------------------------------


def test_client_flush_task_started_on_first_use_is_not_a_leftover(client: Any) -> None:
    served = client(ASYNC, "send_awaited", background="error")
    for number in range(2):
        result = served.get(f"/?m={number}")
        assert (result.status, result.text) == (200, f"sent {number + 1}"), result.report
        assert result.report.clean


def test_client_flush_task_busy_with_a_dropped_send_is_reported(client: Any) -> None:
    result = client(ASYNC, "send_dropped").get("/?m=dropped")
    (work,) = result.report.leftovers
    assert work.kind == "asyncio task" and work.description.startswith("AsyncBatcher._run()")
    assert work.site == f"{ASYNC}:{line_of(ASYNC, 'send_dropped', 'batcher.send(')}"


def test_shielded_work_that_outlives_a_timeout_is_reported(client: Any) -> None:
    result = client(ASYNC, "http_with_shield_timeout").get("/")
    assert result.text == "timed out; the shielded write goes on"
    (work,) = result.report.leftovers
    assert work.kind == "asyncio task" and work.description.startswith("http_with_shield_timeout.<locals>.write()")
    assert work.site == f"{ASYNC}:{line_of(ASYNC, 'http_with_shield_timeout', 'asyncio.shield(')}"


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
            delay = parse_qs(urlsplit(self.path).query).get("delay")
            if delay:
                time.sleep(float(delay[0]))
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a caller cut off when its server stopped

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_httpx_client_per_request_is_clean(client: Any, upstream: str) -> None:
    served = client(ASYNC, "httpx_client_per_request", background="error")
    for _ in range(2):
        result = served.get(f"/?url={upstream}")
        assert result.status == 200, result.report
        assert result.json() == {"status": 200}
        assert result.report.clean


def test_a_task_left_inside_an_httpx_call_is_reported(client: Any, upstream: str) -> None:
    """httpx (through anyio) waits for its connection and for the answer on an asyncio.Event deep
    inside the call: the task making the call waits for its result, it is not an idle worker."""
    result = client(ASYNC, "httpx_request_left", background="error").get(
        f"/?url={upstream}%3Fdelay%3D0.5"
    )
    assert result.status == 500
    line = line_of(ASYNC, "httpx_request_left", "asyncio.create_task(")
    fetches = [w for w in result.report.leftovers if w.description.startswith("_fetch(")]
    assert [(w.kind, w.site) for w in fetches] == [("asyncio task", f"{ASYNC}:{line}")]


def test_a_task_still_reading_its_answer_after_a_wait_gave_up_is_reported(
    client: Any, upstream: str
) -> None:
    result = client(ASYNC, "httpx_wait_gave_up", background="error").get(
        f"/?url={upstream}%3Fdelay%3D1"
    )
    assert result.status == 500
    line = line_of(ASYNC, "httpx_wait_gave_up", "asyncio.create_task(")
    (work,) = result.report.leftovers  # connected long ago: only the task itself is left
    assert work.description.startswith("_fetch(") and work.site == f"{ASYNC}:{line}"


def test_httpx_calls_gathered_are_clean(client: Any, upstream: str) -> None:
    result = client(ASYNC, "httpx_requests_gathered", background="error").get(
        f"/?url={upstream}%3Fdelay%3D0.1"
    )
    assert (result.status, result.json()) == (200, {"codes": [200, 200, 200]}), result.report
    assert result.report.clean
