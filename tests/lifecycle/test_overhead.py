"""A request that starts no background work costs no tracking: nothing allocated for it."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from lastword import _tracking
from lastword._app import App
from lastword._config import Config
from lastword._invocation import Invocation
from lastword._loader import load

from .conftest import ASYNC_APP, SYNC_APP

TRACKING_FILES = (
    "_tracking/*", "_lifecycle.py", "_invocation.py", "_reports.py", "_report_data.py",
    "_request_log.py", "_observe.py", "_report_texts.py",
)
REQUESTS = 200


def _serve(app: App, loop: asyncio.AbstractEventLoop, count: int) -> None:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/", "raw_path": b"/", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 8080),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def requests() -> None:
        for _ in range(count):
            await app(scope, receive, send)
            assert sent[-2]["status"] == 200
            sent.clear()

    loop.run_until_complete(requests())


def _quiet_watcher() -> None:
    """Child processes earlier tests left running are watched by a thread of lastword's own, which
    allocates while they run: let it finish, so that only requests allocate in this test."""
    from lastword._tracking._work import _watcher

    deadline = time.monotonic() + 5
    while _watcher.thread is not None and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("source", [ASYNC_APP, SYNC_APP], ids=["async", "sync"])
def test_hello_world_allocates_no_tracking(source: Path) -> None:
    loaded, config = load(Config.build(flags={"source": str(source), "target": "hello"}))
    _tracking.install()
    seen: list[Invocation] = []
    app = App(loaded, config, observer=seen.append)
    loop = _tracking.new_event_loop()
    _quiet_watcher()
    try:
        _serve(app, loop, 20)  # warm up: caches, the pool's threads, Flask's first request
        seen.clear()
        gc.collect()
        tracemalloc.start(1)
        try:
            before = tracemalloc.take_snapshot()
            _serve(app, loop, REQUESTS)
            work = [invocation.work for invocation in seen]
            seen.clear()
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
    finally:
        app.pool.shutdown()
        loop.close()
        _tracking.uninstall()
    assert work == [None] * REQUESTS, "no invocation tracked anything"
    filters = [tracemalloc.Filter(True, f"*/lastword/{name}") for name in TRACKING_FILES]
    grown = after.filter_traces(filters).compare_to(before.filter_traces(filters), "lineno")
    # What grows with the number of requests: the few objects of the driver's own task (the loop
    # still holds the last task it ran) are not a per-request cost.
    leaked = [stat for stat in grown if stat.size_diff > 0 and stat.count_diff >= REQUESTS // 20]
    print(f"\ntracking allocations kept after {REQUESTS} hello-world requests: "
          f"{sum(s.size_diff for s in leaked)} bytes")
    assert leaked == [], "\n".join(str(stat) for stat in leaked)
