"""Sync (Flask-style) functions using clients the way deployed functions do: right and wrong."""

from __future__ import annotations

import asyncio
import io
import logging
import queue
import threading
from logging.handlers import QueueHandler, QueueListener

from standin import library

pubsub = library("pubsub")
telemetry = library("telemetry")

publisher = pubsub.PublisherClient()  # at import time, as the samples do

# --- google-cloud-pubsub style publishing ------------------------------------------------------


def publish_awaited(request):
    future = publisher.publish("projects/p/topics/orders", request.args.get("m", "m").encode())
    return f"published {future.result(timeout=5)}"


def publish_dropped(request):
    publisher.publish("projects/p/topics/orders", request.args.get("m", "m").encode())
    return "accepted"


# --- logging and tracing set up lazily, in the first request -----------------------------------

LOG_OUTPUT = io.StringIO()
_listener: QueueListener | None = None
_log_queue: queue.Queue = queue.Queue()
log = logging.getLogger("rl_sync.app")


def log_via_lazy_listener(request):
    global _listener
    if _listener is None:
        _listener = QueueListener(_log_queue, logging.StreamHandler(LOG_OUTPUT))
        _listener.start()
        log.addHandler(QueueHandler(_log_queue))
        log.setLevel(logging.INFO)
    log.info("handled %s", request.args.get("m", "m"))
    return "logged"


def listener_per_request(request):
    listener = QueueListener(queue.Queue(), logging.StreamHandler(LOG_OUTPUT))
    listener.start()  # never stopped: one more thread each request
    return "ok"


_tracer = None


def trace_via_lazy_exporter(request):
    global _tracer
    if _tracer is None:
        _tracer = telemetry.BatchSpanProcessor()
    _tracer.on_end("handle")
    return "traced"


# --- an event loop of the function's own, in a thread ------------------------------------------

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()
DONE: list[str] = []


def background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="app-loop", daemon=True).start()
    return _loop


async def store(tag: str, seconds: float) -> str:
    await asyncio.sleep(seconds)
    DONE.append(tag)
    return tag


def loop_awaited(request):
    future = asyncio.run_coroutine_threadsafe(store("awaited", 0.01), background_loop())
    return future.result(timeout=5)


def loop_dropped(request):
    asyncio.run_coroutine_threadsafe(store(request.args.get("m", "m"), 0.3), background_loop())
    return "accepted"
