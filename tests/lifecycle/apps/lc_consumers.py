"""Long-lived workers of the function's own code, started lazily by the first request.

Right: the request hands the worker its items and waits for them (``queue.join()``, a future per
item); when it responds the worker is back to waiting for its next item -- idle infrastructure.
Wrong: the request hands items over and responds while the worker is still busy with them, or
the worker is busy on its own (a poller, a flush on a timer), or a new worker is started by every
request.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
import time

DONE: list[str] = []


def _tag(request) -> str:
    return request.args.get("tag", "none")


# --- a queue consumer thread, started by the first request -----------------------------------

_jobs: queue.Queue = queue.Queue()
_consumer: threading.Thread | None = None
_consumer_lock = threading.Lock()


def _consume() -> None:
    while True:
        item = _jobs.get()
        time.sleep(item[1])  # the work: an upload, say
        DONE.append(item[0])
        _jobs.task_done()


def _ensure_consumer() -> None:
    global _consumer
    with _consumer_lock:
        if _consumer is None:
            _consumer = threading.Thread(target=_consume, name="consumer", daemon=True)
            _consumer.start()


def consumer_joined(request):
    _ensure_consumer()
    for number in range(3):
        _jobs.put((f"{_tag(request)}-{number}", 0.01))
    _jobs.join()  # every item handed over is done
    return "done"


# --- a sender looping on SimpleQueue.get(), results through futures ---------------------------

_outbox: queue.SimpleQueue = queue.SimpleQueue()
_sender: threading.Thread | None = None


class Sender:
    """Sends what it is given, one at a time, and resolves each item's future."""

    def __init__(self) -> None:
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            message, future = self.outbox.get()
            time.sleep(0.01)
            future.set_result(f"sent {message}")


_sender_object: Sender | None = None


def sender_awaited(request):
    global _sender_object
    with _consumer_lock:
        if _sender_object is None:
            _sender_object = Sender()
            threading.Thread(target=_sender_object.run, name="sender", daemon=True).start()
    future: concurrent.futures.Future = concurrent.futures.Future()
    _sender_object.outbox.put((_tag(request), future))
    return future.result(timeout=5)


# --- a batcher waiting on a Condition for its next batch -----------------------------------------

_batch: list[str] = []
_batch_ready = threading.Condition()
_batcher: threading.Thread | None = None
_flushed = threading.Event()


def _batch_loop() -> None:
    while True:
        with _batch_ready:
            _batch_ready.wait_for(lambda: _batch)
            items = list(_batch)
            _batch.clear()
        DONE.extend(items)
        _flushed.set()


def batch_flushed(request):
    global _batcher
    with _consumer_lock:
        if _batcher is None:
            _batcher = threading.Thread(target=_batch_loop, name="batcher", daemon=True)
            _batcher.start()
    _flushed.clear()
    with _batch_ready:
        _batch.append(_tag(request))
        _batch_ready.notify()
    _flushed.wait(5)
    return "flushed"


# --- wrong: the consumer is still busy when the response goes out ------------------------------

_slow_jobs: queue.Queue = queue.Queue()
_slow_consumer: threading.Thread | None = None


def _consume_slowly() -> None:
    while True:
        item = _slow_jobs.get()
        time.sleep(0.3)
        DONE.append(item)
        _slow_jobs.task_done()


def consumer_not_joined(request):
    global _slow_consumer
    with _consumer_lock:
        if _slow_consumer is None:
            _slow_consumer = threading.Thread(target=_consume_slowly, name="slow-consumer", daemon=True)
            _slow_consumer.start()
    _slow_jobs.put(_tag(request))  # handed over, never waited for
    return "accepted"


# --- wrong: a worker that is busy on its own ----------------------------------------------------


def _poll(stop: threading.Event) -> None:
    while not stop.wait(0.2):  # every 0.2 s, forever: a timer, not waiting for input
        DONE.append("polled")


_stop = threading.Event()


def poller_started(request):
    threading.Thread(target=_poll, args=(_stop,), name=f"poller-{_tag(request)}", daemon=True).start()
    return "polling"


def _flush_all(jobs: queue.Queue) -> None:
    jobs.join()  # waits for others' work to be done: a flush, not waiting for input


def flusher_left(request):
    jobs: queue.Queue = queue.Queue()
    jobs.put(_tag(request))  # nobody takes it: the flusher waits for ever
    threading.Thread(target=_flush_all, args=(jobs,), name="flusher", daemon=True).start()
    return "accepted"


def consumer_per_request(request):
    jobs: queue.Queue = queue.Queue()
    threading.Thread(target=_consume_from, args=(jobs,), name="consumer-per-request", daemon=True).start()
    return "ok"


def _consume_from(jobs: queue.Queue) -> None:
    while True:
        jobs.get()


# --- the asyncio twins ---------------------------------------------------------------------------

_aqueue: asyncio.Queue | None = None
_aconsumer: asyncio.Task | None = None


async def _aconsume(jobs: asyncio.Queue) -> None:
    while True:
        item = await jobs.get()
        await asyncio.sleep(0.01)
        DONE.append(item)
        jobs.task_done()


async def async_consumer_joined(request):
    global _aqueue, _aconsumer
    if _aconsumer is None:
        _aqueue = asyncio.Queue()
        _aconsumer = asyncio.create_task(_aconsume(_aqueue))
    assert _aqueue is not None
    for number in range(3):
        await _aqueue.put(f"{request.query_params.get('tag', 'none')}-{number}")
    await _aqueue.join()
    return "done"


_slow_aqueue: asyncio.Queue | None = None
_slow_aconsumer: asyncio.Task | None = None


async def _aconsume_slowly(jobs: asyncio.Queue) -> None:
    while True:
        item = await jobs.get()
        await asyncio.sleep(0.3)
        DONE.append(item)
        jobs.task_done()


async def async_consumer_not_joined(request):
    global _slow_aqueue, _slow_aconsumer
    if _slow_aconsumer is None:
        _slow_aqueue = asyncio.Queue()
        _slow_aconsumer = asyncio.create_task(_aconsume_slowly(_slow_aqueue))
    assert _slow_aqueue is not None
    _slow_aqueue.put_nowait(request.query_params.get("tag", "none"))
    return "accepted"


async def _aflush(jobs: asyncio.Queue) -> None:
    await jobs.join()


async def async_flusher_left(request):
    jobs: asyncio.Queue = asyncio.Queue()
    jobs.put_nowait("never taken")
    asyncio.create_task(_aflush(jobs))
    return "accepted"
