"""The idle rule: what a long-lived thread or task is doing at the response decides, whoever wrote it.

A worker of the function's own code that the first request starts lazily, hands its items and
waits for (``queue.join()``, a future per item), is infrastructure: clean, also under
``--background error``. A worker still busy with what it was handed, busy on its own (a timer, a
flush), or started again by every request, is reported.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import APPS, lastword_warnings, line_of

APP = APPS / "lc_consumers.py"

RIGHT = ["consumer_joined", "sender_awaited", "batch_flushed", "async_consumer_joined"]


@pytest.mark.parametrize("function", RIGHT)
def test_a_lazily_started_worker_that_went_idle_is_not_a_leftover(
    client: Any, caplog: pytest.LogCaptureFixture, function: str
) -> None:
    caplog.set_level(logging.INFO, logger="lastword")
    served = client(APP, function, background="error")
    ids = []
    for number in range(3):  # the first request starts the worker; the others reuse it
        result = served.get(f"/?tag={function}-{number}")
        assert result.status == 200, result.report
        assert result.report is not None and result.report.clean, result.report.leftovers
        ids.append(result.report.id)
    for invocation in ids:  # (another test's leftover may end now: it is logged against its own)
        assert not lastword_warnings(caplog, invocation)


# (function, kind, description words, text on the line that starts the work)
WRONG = [
    ("consumer_not_joined", "thread", "'slow-consumer' running _consume_slowly()", "_slow_consumer.start()"),
    ("poller_started", "thread", "running _poll(", "threading.Thread(target=_poll"),
    ("flusher_left", "thread", "'flusher' running _flush_all(", "threading.Thread(target=_flush_all"),
    ("async_consumer_not_joined", "asyncio task", "_aconsume_slowly(", "asyncio.create_task(_aconsume_slowly"),
    ("async_flusher_left", "asyncio task", "_aflush(", "asyncio.create_task(_aflush"),
]


@pytest.mark.parametrize("function, kind, words, line_text", WRONG, ids=[w[0] for w in WRONG])
def test_a_busy_worker_is_reported_and_fails_under_error(
    client: Any, function: str, kind: str, words: str, line_text: str
) -> None:
    result = client(APP, function, background="error").get(f"/?tag={function}")
    assert result.status == 500, result.report
    assert result.report is not None and result.report.outcome == "left-work"
    (work,) = result.report.leftovers
    assert work.kind == kind and words in work.description, work
    assert work.site == f"{APP}:{line_of(APP, function, line_text)}"


def test_a_worker_started_by_every_request_is_a_leak(client: Any) -> None:
    served = client(APP, "consumer_per_request")
    first = served.get("/")
    assert first.report is not None and first.report.leftovers == ()  # could be infrastructure
    second = served.get("/")
    assert second.report is not None
    (work,) = second.report.leftovers  # the same line started another: it is not
    assert work.kind == "thread" and "'consumer-per-request' running _consume_from(" in work.description
    assert work.site == f"{APP}:{line_of(APP, 'consumer_per_request', 'threading.Thread(')}"


def test_wait_does_not_wait_for_an_idle_worker(client: Any) -> None:
    """'wait' holds the response for busy work only: an idle consumer would never end."""
    import time

    served = client(APP, "consumer_joined", background="wait", timeout=5)
    started = time.monotonic()
    result = served.get("/?tag=wait")
    assert time.monotonic() - started < 2
    assert result.report is not None and result.report.clean and result.report.waited_for == ()


def test_a_busy_consumer_is_waited_for_until_it_is_idle_again(client: Any) -> None:
    """Under 'wait', the consumer busy with the items handed to it is held for, until it goes
    back to waiting for its next item -- then it is infrastructure, and the response goes out."""
    served = client(APP, "consumer_not_joined", background="wait", timeout=5)
    module_done = sys.modules["lc_consumers"].DONE  # the module this server loaded
    result = served.get("/?tag=held")
    assert result.status == 200
    assert "held" in module_done, "the response waited for the item to be done"
    assert result.report is not None and result.report.leftovers == ()
    assert len(result.report.waited_for) == 1


def test_states_of_threads_and_tasks() -> None:
    """The classification itself, on real threads (all Python versions run this)."""
    import asyncio
    import queue
    import threading
    import time

    from lastword._tracking._services import task_state, thread_state

    stop = threading.Event()
    jobs: queue.Queue[Any] = queue.Queue()
    simple: queue.SimpleQueue[Any] = queue.SimpleQueue()
    condition = threading.Condition()

    def on_condition() -> None:
        with condition:
            condition.wait()

    flushing: queue.Queue[Any] = queue.Queue()
    flushing.put(1)
    waited_for = threading.Thread(target=stop.wait, daemon=True)
    waited_for.start()
    cases = {
        "idle": [jobs.get, lambda: simple.get(), stop.wait, on_condition, lambda: jobs.get(timeout=30)],
        "waiting": [lambda: time.sleep(0.5), lambda: stop.wait(30), flushing.join, waited_for.join],
    }
    threads = []
    try:
        for expected, targets in cases.items():
            for target in targets:
                thread = threading.Thread(target=target, daemon=True)
                thread.start()
                threads.append((expected, thread))
        time.sleep(0.2)
        frames = sys._current_frames()
        for expected, thread in threads:
            assert thread_state(frames[thread.ident]) == expected, (expected, thread)
    finally:
        stop.set()
        jobs.put(None)
        jobs.put(None)
        simple.put(None)
        with condition:
            condition.notify_all()
        flushing.get()
        flushing.task_done()
        for _, thread in threads:
            thread.join(5)

    async def tasks() -> None:
        aqueue: asyncio.Queue[Any] = asyncio.Queue()
        event = asyncio.Event()
        flush: asyncio.Queue[Any] = asyncio.Queue()
        flush.put_nowait(1)
        idle = [asyncio.ensure_future(aqueue.get()), asyncio.ensure_future(event.wait())]
        busy = [asyncio.ensure_future(asyncio.sleep(30)), asyncio.ensure_future(flush.join())]
        fresh = asyncio.ensure_future(asyncio.sleep(0))
        assert task_state(fresh.get_coro()) == "running"  # not started yet: about to run
        await asyncio.sleep(0.01)
        assert [task_state(t.get_coro()) for t in idle] == ["idle", "idle"]
        assert [task_state(t.get_coro()) for t in busy] == ["waiting", "waiting"]
        for task in (*idle, *busy):
            task.cancel()
        await asyncio.gather(*idle, *busy, fresh, return_exceptions=True)

    asyncio.run(tasks())


def test_a_batching_worker_holding_items_waits_on_a_timer() -> None:
    """A consumer collecting a batch (``get(timeout=...)`` while an item it took is not done yet, as
    Segment's and Cloud Logging's workers do) will work on it when the time is up: not idle. The same
    timed get with nothing taken, or an untimed one, is idle."""
    import queue
    import threading
    import time

    from lastword._tracking._services import thread_state

    def collect(source: queue.Queue[Any]) -> None:
        items = [source.get()]
        while items[-1] is not None:
            items.append(source.get(timeout=30))

    holding: queue.Queue[Any] = queue.Queue()
    holding.put("event")  # taken, not done: it is in the batch
    idle: queue.Queue[Any] = queue.Queue()
    idle.put("event")
    idle.get()
    idle.task_done()  # taken and done
    threads = {
        "holding": threading.Thread(target=collect, args=(holding,), daemon=True),
        "idle": threading.Thread(target=lambda: idle.get(timeout=30), daemon=True),
    }
    for thread in threads.values():
        thread.start()
    try:
        time.sleep(0.2)
        frames = sys._current_frames()
        assert thread_state(frames[threads["holding"].ident]) == "waiting"
        assert thread_state(frames[threads["idle"].ident]) == "idle"
    finally:
        holding.put(None)
        idle.put(None)
        for thread in threads.values():
            thread.join(5)


def test_a_consumer_whose_item_has_arrived_is_running() -> None:
    """Blocked in ``SimpleQueue.get`` with an item already in the queue: it has not woken up yet
    (the interpreter has not handed it the GIL), and is about to work on it."""
    import queue
    import threading
    import time

    from lastword._tracking._services import thread_state

    simple: queue.SimpleQueue[Any] = queue.SimpleQueue()
    consumer = threading.Thread(target=lambda: simple.get(), daemon=True)
    consumer.start()
    time.sleep(0.1)
    assert thread_state(sys._current_frames()[consumer.ident]) == "idle"
    interval = sys.getswitchinterval()
    sys.setswitchinterval(5.0)  # this thread keeps the GIL: the consumer cannot return from get
    try:
        simple.put("item")
        state = thread_state(sys._current_frames()[consumer.ident])
    finally:
        sys.setswitchinterval(interval)
    consumer.join(5)
    assert state == "running"


def test_a_callback_writing_its_log_record_is_settling_a_callback_reading_is_not() -> None:
    """A library's thread running the user's done-callback, caught inside ``logging``'s write of
    the record the callback emitted (on a loaded machine it may wait for the CPU there), is about
    to finish: it is settling and executing, so the lifecycle gives it its grace in CPU time. The
    same callback blocked reading a socket is waiting for input: judged at once."""
    import logging
    import os
    import socket
    import threading
    import time

    from lastword._tracking._services import thread_executing, thread_settling

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    while True:  # fill the pipe: the handler's next write blocks until it is drained
        try:
            os.write(write_end, b"x" * 65536)
        except BlockingIOError:
            break
    os.set_blocking(write_end, True)
    stream = os.fdopen(write_end, "w", buffering=1)
    logger = logging.getLogger("lastword-test-callback")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    quiet, peer = socket.socketpair()

    def callback_logs() -> None:  # the user's done-callback
        logger.warning("published %s", "x" * 70000)

    def callback_reads() -> None:
        quiet.recv(1)

    threads = {
        "logs": threading.Thread(target=callback_logs, daemon=True),
        "reads": threading.Thread(target=callback_reads, daemon=True),
    }
    for thread in threads.values():
        thread.start()
    try:
        time.sleep(0.2)
        frames = sys._current_frames()
        logs, reads = frames[threads["logs"].ident], frames[threads["reads"].ident]
        assert thread_settling(logs) and thread_executing(logs)
        assert not thread_settling(reads) and not thread_executing(reads)
    finally:
        peer.send(b"x")
        os.set_blocking(read_end, False)
        give_up = time.monotonic() + 5
        while threads["logs"].is_alive() and time.monotonic() < give_up:
            try:
                os.read(read_end, 1 << 20)
            except BlockingIOError:
                time.sleep(0.01)
        for thread in threads.values():
            thread.join(5)
        logger.removeHandler(handler)
        stream.close()
        os.close(read_end)
        quiet.close()
        peer.close()


@pytest.fixture(autouse=True)
def _module_on_path() -> None:
    """lc_consumers is imported by the in-process server (its folder on sys.path)."""
    if str(Path(APP).parent) not in sys.path:
        sys.path.insert(0, str(Path(APP).parent))
