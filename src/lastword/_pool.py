"""The bounded pool of threads that runs sync functions.

lastword's own threads: never attributed to an invocation (they serve every invocation), started
lazily, up to ``size``. A job runs inside the ``contextvars.Context`` it is given, so the user's
function sees its invocation, and whatever it starts is attributed to it.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ._tracking import start_untracked

T = TypeVar("T")

_STOP = object()


class ThreadPool:
    def __init__(self, size: int, name: str = "lastword-worker"):
        self.size = size
        self.name = name
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def run(
        self, context: contextvars.Context, function: Callable[..., T], *args: Any
    ) -> asyncio.Future[T]:
        """Run ``function(*args)`` in ``context`` on a pool thread; an asyncio future of its result."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, context, function, args))
        with self._lock:
            if self._idle > 0:
                self._idle -= 1
                return future
            if len(self._threads) < self.size:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{len(self._threads) + 1}", daemon=True
                )
                self._threads.append(thread)
                start_untracked(thread)
        return future

    def _work(self) -> None:
        jobs = self._jobs
        while True:
            job = jobs.get()
            if job is _STOP:
                return
            loop, future, context, function, args = job
            result: Any = None
            try:
                result = context.run(function, *args)
            except BaseException as exc:
                loop.call_soon_threadsafe(_set_exception, future, exc)
            else:
                loop.call_soon_threadsafe(_set_result, future, result)
            job = loop = future = context = function = args = result = None  # drop references
            with self._lock:
                self._idle += 1

    def shutdown(self) -> None:
        for _ in self._threads:
            self._jobs.put(_STOP)
        self._threads.clear()


def _set_result(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
