"""The kinds of background work, each with its own answer to: is it still running? can it be
stopped? what is it doing?"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import threading
import time
from collections.abc import Callable
from typing import Any

from .._frames import frame_of
from .._invocation import Invocation, Work, WorkKind, current_work
from . import _describe, _orphans
from ._services import (
    State,
    is_service,
    task_state,
    thread_executing,
    thread_settling,
    thread_state,
)


class TaskWork(Work):
    kind = "asyncio task"

    def __init__(self, invocation: Invocation, task: asyncio.Future[Any], stack: Any):
        self._call: str | None = None
        super().__init__(invocation, "", stack)
        self.task = self.handle = task
        task.add_done_callback(self._done)

    @property  # type: ignore[override]
    def description(self) -> str:
        """Named when asked: the task's name is set after create_task returns."""
        if self._description:
            return self._description
        task = self.task
        text = self._call
        if text is None or not task.done():
            get_coro = getattr(task, "get_coro", None)
            text = _describe.coroutine_call(get_coro()) if get_coro is not None else repr(task)
            self._call = text  # its arguments, read while it still has a frame
        get_name = getattr(task, "get_name", None)
        return f"{text} (task {get_name()!r})" if get_name is not None else text

    @description.setter
    def description(self, text: str) -> None:
        self._description = text

    def running(self) -> bool:
        return not self.task.done() and not is_service(self)

    def state(self) -> State:
        get_coro = getattr(self.task, "get_coro", None)
        return task_state(get_coro()) if get_coro is not None else "waiting"

    def settling(self) -> bool:
        return not self.task.done() and self.state() == "running"

    def entry(self) -> str:
        get_coro = getattr(self.task, "get_coro", None)
        coro = get_coro() if get_coro is not None else None
        return str(getattr(coro, "__qualname__", None) or type(coro).__name__)

    def cancel(self) -> bool:
        return self.task.cancel()

    def _done(self, task: asyncio.Future[Any]) -> None:
        if task.cancelled():
            self.finished(None, cancelled=True)
        else:
            self.finished(task.exception())


class FutureWork(Work):
    kind: WorkKind = "executor job"
    future: concurrent.futures.Future[Any]

    def attach(self, future: concurrent.futures.Future[Any]) -> None:
        self.future = self.handle = future
        future.add_done_callback(self._done)

    def running(self) -> bool:
        return not self.future.done()

    def cancel(self) -> bool:
        return self.future.cancel()

    def _done(self, future: concurrent.futures.Future[Any]) -> None:
        if future.cancelled():
            self.finished(None, cancelled=True)
        else:
            self.finished(future.exception())


class ThreadsafeWork(FutureWork):
    """A coroutine handed to an event loop from another thread (``run_coroutine_threadsafe``).

    Any loop: also one the user runs in a thread of their own, which lastword's create_task hook does
    not see. The task the loop makes for it is this work, not another.
    """

    kind: WorkKind = "asyncio task"
    adopting = True
    """The loop has not made the task yet: create_task will adopt it, not track it again."""


class CallbackWork(Work):
    kind = "loop callback"
    handle: asyncio.Handle

    def __init__(self, invocation: Invocation, description: str, stack: Any):
        super().__init__(invocation, description, stack)
        self.ran = False

    def wrap(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            self.ran = True
            token = current_work.set(self)
            try:
                result = callback(*args)
            except BaseException as exc:
                self.finished(exc)
                if self.invocation.responded:  # logged against its invocation already
                    return None
                raise
            finally:
                current_work.reset(token)
            self.finished(None)
            return result

        return run

    def running(self) -> bool:
        return not self.ran and not self.handle.cancelled()

    def cancel(self) -> bool:
        self.handle.cancel()
        return True


class ThreadWork(Work):
    kind = "thread"

    def __init__(self, invocation: Invocation, thread: threading.Thread, description: str, stack: Any):
        super().__init__(invocation, description, stack)
        self.thread = self.handle = thread
        self.ended = False
        """Its ``run()`` returned (the thread may take a moment more to die)."""

    def running(self) -> bool:
        if self.ended or not self.thread.is_alive():
            return False
        return not is_service(self)

    def state(self) -> State:
        if isinstance(self.thread, threading.Timer):
            return "waiting"  # a timer: its function is still to run
        frame = frame_of(self.thread.ident)
        return thread_state(frame) if frame is not None else "running"

    def settling(self) -> bool:
        if isinstance(self.thread, threading.Timer) or self.ended or not self.thread.is_alive():
            return False
        frame = frame_of(self.thread.ident)
        return frame is not None and thread_settling(frame)

    def executing(self) -> bool:
        if isinstance(self.thread, threading.Timer) or self.ended or not self.thread.is_alive():
            return False
        frame = frame_of(self.thread.ident)
        return frame is not None and thread_executing(frame)

    def cpu_seconds(self) -> float | None:
        # From the kernel's account of the thread (Linux), not its pthread clock: a thread that has
        # just ended is a missing file here, never a dangling handle.
        native = getattr(self.thread, "native_id", None)
        if native is None or self.ended:
            return None
        try:
            with open(f"/proc/self/task/{native}/schedstat", "rb") as account:
                return int(account.read().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return None

    def entry(self) -> str:
        target = getattr(self.thread, "_target", None)
        return _describe.name_of(target) if target is not None else type(self.thread).__qualname__

    def cancel(self) -> bool:
        if isinstance(self.thread, threading.Timer) and self.thread.is_alive():
            self.thread.cancel()
            return True
        return False


class ProcessWork(Work):
    kind = "child process"

    def __init__(
        self,
        invocation: Invocation,
        process: Any,
        poll: Callable[[], bool],
        description: str,
        stack: Any,
        begun: float | None = None,
    ):
        super().__init__(invocation, description, stack)
        self.handle = process
        self._poll = poll
        self.boot_started = begun if begun is not None else _orphans.clock()
        """Just before it started, on the clock of process start times (see :mod:`._orphans`)."""

    def running(self) -> bool:
        try:
            return self._poll()
        except Exception:  # a process object that can no longer be asked is not running
            return False

    def outlive(self) -> None:
        _watcher.watch(self)

    def abandon(self) -> None:
        kill = getattr(self.handle, "kill", None)
        if kill is not None:
            with contextlib.suppress(Exception):  # already gone
                kill()


class OrphanWork(ProcessWork):
    """A process a tracked child left running when it exited (re-parented to this process)."""

    def __init__(self, invocation: Invocation, pid: int, parent: ProcessWork, command: str):
        super().__init__(
            invocation,
            pid,
            lambda: _orphans.poll(pid),
            f"{command!r} (pid {pid}), left running by {parent.description} when it exited",
            [],  # where it comes from is where its parent was started
        )
        self.parent = parent

    def abandon(self) -> None:
        _orphans.kill(self.handle)


class UnawaitedCoroutine(Work):
    kind = "unawaited coroutine"

    def running(self) -> bool:
        return True  # it never ran, and never will: always a leftover


class _Watcher:
    """Watches child processes that outlived their response, to log when they end.

    Holding them also keeps ``subprocess.Popen`` from warning that it was dropped while running.
    """

    interval = 0.05

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.works: list[Work] = []
        self.thread: threading.Thread | None = None

    def watch(self, work: Work) -> None:
        with self.lock:
            self.works.append(work)
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="lastword-process-watcher", daemon=True
                )
                contextvars.Context().run(self.thread.start)  # outside any invocation

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            with self.lock:
                ended = [w for w in self.works if not w.running()]
                self.works = [w for w in self.works if w not in ended]
                stop = not self.works
                if stop:
                    self.thread = None
            for work in ended:
                work.finished(None)
            if stop:
                return


_watcher = _Watcher()
