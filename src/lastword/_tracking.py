"""Attributing background work to the invocation that started it.

:func:`install` adds light hooks where Python starts work — asyncio task creation (a task factory),
loop callbacks and subprocesses (a loop subclass), ``threading.Thread.start``, ``Executor.submit``,
``subprocess.Popen``, ``multiprocessing`` processes, and coroutines that are dropped unawaited.
Each hook reads one context variable; when no invocation is running (import time, the server's
own code) it does nothing else. When one is, the work is wrapped in a :class:`Work` and added to
that invocation. Threads started by an invocation carry its context, so the threads *they* start
are attributed to it too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import multiprocessing.process
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

from ._invocation import Invocation, Work, capture_stack, current, is_user_file

# --- kinds of work ---------------------------------------------------------------------------


def _name_of(callable_: Any) -> str:
    name = getattr(callable_, "__qualname__", None) or getattr(callable_, "__name__", None)
    if name is None and hasattr(callable_, "func"):  # functools.partial
        return _name_of(callable_.func)
    return str(name or type(callable_).__name__)


class TaskWork(Work):
    kind = "asyncio task"

    def __init__(self, invocation: Invocation, task: asyncio.Future[Any], description: str, stack: Any):
        super().__init__(invocation, description, stack)
        self.task = self.handle = task
        task.add_done_callback(self._done)

    def running(self) -> bool:
        return not self.task.done()

    def cancel(self) -> bool:
        return self.task.cancel()

    def _done(self, task: asyncio.Future[Any]) -> None:
        error = None if task.cancelled() else task.exception()
        self.finished(error)


class FutureWork(Work):
    kind = "executor job"

    def __init__(
        self, invocation: Invocation, future: concurrent.futures.Future[Any], description: str, stack: Any
    ):
        super().__init__(invocation, description, stack)
        self.future = self.handle = future
        future.add_done_callback(self._done)

    def running(self) -> bool:
        return not self.future.done()

    def cancel(self) -> bool:
        return self.future.cancel()

    def _done(self, future: concurrent.futures.Future[Any]) -> None:
        error = None if future.cancelled() else future.exception()
        self.finished(error)


class CallbackWork(Work):
    kind = "loop callback"
    handle: asyncio.Handle

    def __init__(self, invocation: Invocation, description: str, stack: Any):
        super().__init__(invocation, description, stack)
        self.ran = False

    def wrap(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            self.ran = True
            try:
                result = callback(*args)
            except BaseException as exc:
                self.finished(exc)
                raise
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

    def running(self) -> bool:
        return self.thread.is_alive()

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
    ):
        super().__init__(invocation, description, stack)
        self.handle = process
        self._poll = poll

    def running(self) -> bool:
        try:
            return self._poll()
        except Exception:  # a process object that can no longer be asked is not running
            return False


class UnawaitedCoroutine(Work):
    kind = "unawaited coroutine"

    def running(self) -> bool:
        return True  # it never ran, and never will: always a leftover


# --- hooks -----------------------------------------------------------------------------------

_installed = False
_original: dict[str, Any] = {}


def install() -> None:
    """Install the hooks (idempotent). Loops created by :func:`new_event_loop` are tracked too."""
    global _installed
    if _installed:
        return
    _installed = True
    _original["thread_start"] = threading.Thread.start
    threading.Thread.start = _thread_start  # type: ignore[method-assign]
    _original["tpe_submit"] = concurrent.futures.ThreadPoolExecutor.submit
    concurrent.futures.ThreadPoolExecutor.submit = _thread_pool_submit  # type: ignore[method-assign]
    _original["ppe_submit"] = concurrent.futures.ProcessPoolExecutor.submit
    concurrent.futures.ProcessPoolExecutor.submit = _process_pool_submit  # type: ignore[method-assign]
    _original["popen_init"] = subprocess.Popen.__init__
    subprocess.Popen.__init__ = _popen_init  # type: ignore[method-assign]
    _original["mp_start"] = multiprocessing.process.BaseProcess.start
    multiprocessing.process.BaseProcess.start = _mp_start  # type: ignore[method-assign]
    _original["unawaited"] = getattr(warnings, "_warn_unawaited_coroutine", None)
    warnings._warn_unawaited_coroutine = _warn_unawaited  # type: ignore[attr-defined]


def uninstall() -> None:
    """Remove the hooks (for tests)."""
    global _installed
    if not _installed:
        return
    _installed = False
    threading.Thread.start = _original["thread_start"]  # type: ignore[method-assign]
    concurrent.futures.ThreadPoolExecutor.submit = _original["tpe_submit"]  # type: ignore[method-assign]
    concurrent.futures.ProcessPoolExecutor.submit = _original["ppe_submit"]  # type: ignore[method-assign]
    subprocess.Popen.__init__ = _original["popen_init"]  # type: ignore[method-assign]
    multiprocessing.process.BaseProcess.start = _original["mp_start"]  # type: ignore[method-assign]
    if _original["unawaited"] is not None:
        warnings._warn_unawaited_coroutine = _original["unawaited"]  # type: ignore[attr-defined]


def is_installed() -> bool:
    return _installed


def start_untracked(thread: threading.Thread) -> None:
    """Start one of lastword's own threads: never attributed to an invocation."""
    (_original.get("thread_start") or threading.Thread.start)(thread)


# threads that belong to a pool shared by everyone; the job they run is tracked, not the thread
_POOL_THREAD_MODULES = ("anyio.", "concurrent.futures.")


def _thread_start(self: threading.Thread) -> None:
    invocation = current.get()
    if invocation is not None and not type(self).__module__.startswith(_POOL_THREAD_MODULES):
        stack = capture_stack(sys._getframe(1))
        target = getattr(self, "_target", None)
        what = f"{self.name!r}" + (f" running {_name_of(target)}()" if target else "")
        work = ThreadWork(invocation, self, what, stack)
        context = contextvars.copy_context()
        run = self.run

        def run_for_invocation() -> None:
            error: BaseException | None = None
            try:
                context.run(run)
            except BaseException as exc:
                error = exc
                if not invocation.responded:
                    raise
            finally:
                work.finished(error)

        self.run = run_for_invocation  # type: ignore[method-assign]
        invocation.track(work)
    _original["thread_start"](self)


def _submit(
    original: Callable[..., concurrent.futures.Future[Any]],
    executor: concurrent.futures.Executor,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    carry_context: bool,
) -> concurrent.futures.Future[Any]:
    invocation = current.get()
    if invocation is None:
        return original(executor, fn, *args, **kwargs)
    stack = capture_stack(sys._getframe(2))
    # The pool's own threads and processes (started lazily by submit) serve every invocation: start
    # them outside this one. The job itself runs in the invocation's context (threads only).
    if carry_context:
        job: Callable[..., Any] = contextvars.copy_context().run
        args = (fn, *args)
    else:
        job = fn
    token = current.set(None)
    try:
        future = original(executor, job, *args, **kwargs)
    finally:
        current.reset(token)
    via = "run_in_executor" if any(f.name == "run_in_executor" for f in stack[:3]) else "submit"
    invocation.track(FutureWork(invocation, future, f"{via}({_name_of(fn)})", stack))
    return future


def _thread_pool_submit(
    self: concurrent.futures.ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
) -> concurrent.futures.Future[Any]:
    return _submit(_original["tpe_submit"], self, fn, args, kwargs, carry_context=True)


def _process_pool_submit(
    self: concurrent.futures.ProcessPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
) -> concurrent.futures.Future[Any]:
    return _submit(_original["ppe_submit"], self, fn, args, kwargs, carry_context=False)


def _popen_init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
    _original["popen_init"](self, *args, **kwargs)
    invocation = current.get()
    if invocation is not None:
        command = args[0] if args else kwargs.get("args")
        invocation.track(
            ProcessWork(
                invocation,
                self,
                lambda: self.poll() is None,
                f"{_short(command)} (pid {self.pid}, subprocess.Popen)",
                capture_stack(sys._getframe(1)),
            )
        )


def _mp_start(self: multiprocessing.process.BaseProcess) -> None:
    _original["mp_start"](self)
    invocation = current.get()
    if invocation is not None:
        target = getattr(self, "_target", None)
        invocation.track(
            ProcessWork(
                invocation,
                self,
                self.is_alive,
                f"{self.name!r}" + (f" running {_name_of(target)}()" if target else "")
                + " (multiprocessing)",
                capture_stack(sys._getframe(1)),
            )
        )


def _warn_unawaited(coro: Any) -> None:
    invocation = current.get()
    if invocation is None:
        original = _original.get("unawaited")
        if original is not None:
            original(coro)
        return
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    invocation.track(
        UnawaitedCoroutine(invocation, f"{name}()", capture_stack(sys._getframe(1)))
    )


def _short(command: Any) -> str:
    text = " ".join(map(str, command)) if isinstance(command, (list, tuple)) else str(command)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# --- the event loop --------------------------------------------------------------------------


def _task_factory(
    loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any
) -> asyncio.Task[Any]:
    task = asyncio.Task(coro, loop=loop, **kwargs)
    context = kwargs.get("context")
    invocation = context.get(current) if context is not None else current.get()
    if invocation is not None:
        name = getattr(coro, "__qualname__", None) or type(coro).__name__
        invocation.track(
            TaskWork(invocation, task, f"{name}()", capture_stack(sys._getframe(1)))
        )
    return task


class _TrackingLoopMixin:
    """Attributes ``call_soon``/``call_later``/``call_at`` made by the user's code."""

    def call_soon(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = current.get()
        if invocation is None or not is_user_file(sys._getframe(1).f_code.co_filename):
            return super().call_soon(callback, *args, context=context)  # type: ignore[misc]
        work = CallbackWork(invocation, f"loop.call_soon({_name_of(callback)})", capture_stack(sys._getframe(1)))
        work.handle = super().call_soon(work.wrap(callback), *args, context=context)  # type: ignore[misc]
        invocation.track(work)
        return work.handle

    def call_later(
        self, delay: float, callback: Callable[..., Any], *args: Any, context: Any = None
    ) -> Any:
        invocation = current.get()
        if invocation is None or not is_user_file(sys._getframe(1).f_code.co_filename):
            return super().call_later(delay, callback, *args, context=context)  # type: ignore[misc]
        work = CallbackWork(
            invocation, f"loop.call_later({delay:g}, {_name_of(callback)})", capture_stack(sys._getframe(1))
        )
        work.handle = super().call_later(delay, work.wrap(callback), *args, context=context)  # type: ignore[misc]
        invocation.track(work)
        return work.handle

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = current.get()
        if invocation is None or not is_user_file(sys._getframe(1).f_code.co_filename):
            return super().call_at(when, callback, *args, context=context)  # type: ignore[misc]
        work = CallbackWork(invocation, f"loop.call_at({_name_of(callback)})", capture_stack(sys._getframe(1)))
        work.handle = super().call_at(when, work.wrap(callback), *args, context=context)  # type: ignore[misc]
        invocation.track(work)
        return work.handle

    async def subprocess_exec(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_exec(*args, **kwargs), args[1:2])  # type: ignore[misc]

    async def subprocess_shell(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_shell(*args, **kwargs), args[1:2])  # type: ignore[misc]

    async def _track_subprocess(self, started: Any, command: tuple[Any, ...]) -> Any:
        invocation = current.get()
        stack = capture_stack(sys._getframe(2)) if invocation is not None else None
        token = current.set(None)  # the loop may use subprocess.Popen underneath: count it once
        try:
            transport, protocol = await started
        finally:
            current.reset(token)
        if invocation is not None:
            invocation.track(
                ProcessWork(
                    invocation,
                    transport,
                    lambda: transport.get_returncode() is None,
                    f"{_short(command[0] if command else '?')} (pid {transport.get_pid()}, asyncio subprocess)",
                    stack,
                )
            )
        return transport, protocol


def new_event_loop(use_uvloop: bool = True) -> asyncio.AbstractEventLoop:
    """A fresh event loop (uvloop when available) that attributes work when tracking is installed."""
    base: type[asyncio.AbstractEventLoop] = asyncio.SelectorEventLoop
    if use_uvloop:
        try:
            import uvloop

            base = uvloop.Loop
        except ImportError:  # pragma: no cover - uvloop is a dependency where it builds
            pass
    if not _installed:
        return base()
    loop_class = _LOOP_CLASSES.get(base)
    if loop_class is None:
        loop_class = type(f"Tracking{base.__name__}", (_TrackingLoopMixin, base), {})
        _LOOP_CLASSES[base] = loop_class
    loop = loop_class()
    loop.set_task_factory(_task_factory)  # type: ignore[arg-type]
    return loop


_LOOP_CLASSES: dict[type, type] = {}
