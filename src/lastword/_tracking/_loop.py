"""The event loop: tasks, callbacks and subprocesses started by an invocation's code.

lastword's own loops (:func:`new_event_loop`) are a subclass of uvloop's (or asyncio's) loop that
attributes tasks, ``call_soon``/``call_later``/``call_at`` callbacks and subprocesses; a loop made
by another ASGI server gets a task factory (:func:`adopt_loop`), given back by ``uninstall``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sys
import weakref
from collections.abc import Callable
from typing import Any

from .._invocation import capture_stack, current, current_work, is_user_file
from . import _describe, _orphans
from ._hooks import is_installed, via
from ._work import CallbackWork, ProcessWork, TaskWork, ThreadsafeWork

_current_get = current.get
_TASK_CONTEXT = sys.version_info >= (3, 11)


def _create_task(
    loop: asyncio.AbstractEventLoop,
    create: Callable[..., asyncio.Task[Any]],
    coro: Any,
    name: str | None,
    context: contextvars.Context | None,
) -> asyncio.Task[Any]:
    """``loop.create_task`` for a call made while an invocation runs: the task is its work."""
    invocation = current.get() if context is None else context.get(current)
    if invocation is not None:
        parent = current_work.get() if context is None else context.get(current_work)
        if isinstance(parent, ThreadsafeWork) and parent.adopting:
            parent.adopting = False  # the task run_coroutine_threadsafe makes is that work
            invocation = None
    if invocation is None:
        if context is None:
            return create(loop, coro, name=name)
        return create(loop, coro, name=name, context=context)
    stack = capture_stack(sys._getframe(2))
    if _TASK_CONTEXT:  # the task runs in its own context, where it is the current work
        own = context.copy() if context is not None else contextvars.copy_context()
        task = create(loop, coro, name=name, context=own)
        work = TaskWork(invocation, task, stack)
        own.run(current_work.set, work)
    else:  # pragma: no cover - Python 3.10: a task copies the context it is created in
        work = TaskWork.__new__(TaskWork)
        token = current_work.set(work)
        try:
            task = create(loop, coro, name=name)
        finally:
            current_work.reset(token)
        work.__init__(invocation, task, stack)  # type: ignore[misc]
    invocation.track(work)
    return task


def _new_task(
    loop: asyncio.AbstractEventLoop, coro: Any, *, name: str | None = None, context: Any = None
) -> asyncio.Task[Any]:
    if context is None:
        return asyncio.Task(coro, loop=loop, name=name)
    return asyncio.Task(coro, loop=loop, name=name, context=context)  # type: ignore[call-arg]


def _task_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
    if kwargs.get("context") is None and _current_get() is None:
        return _new_task(loop, coro, name=kwargs.get("name"))
    return _create_task(loop, _new_task, coro, kwargs.get("name"), kwargs.get("context"))


_adopted: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def adopt_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Track the tasks of a loop lastword did not create (its app hosted by another ASGI server).

    Such a loop gets a task factory; loop callbacks (``call_soon``, ``call_later``) on it are not
    tracked — only on loops from :func:`new_event_loop`.
    """
    if is_installed() and not isinstance(loop, _TrackingLoopMixin) and loop.get_task_factory() is None:
        loop.set_task_factory(_task_factory)  # type: ignore[arg-type]
        with contextlib.suppress(TypeError):  # a loop that cannot be weakly referenced
            _adopted.add(loop)


def release_adopted() -> None:
    """Take the task factory back from the loops :func:`adopt_loop` gave one."""
    for loop in list(_adopted):
        if loop.get_task_factory() is _task_factory and not loop.is_closed():
            loop.set_task_factory(None)
    _adopted.clear()


def _users_callback(callback: Callable[..., Any]) -> bool:
    """A callback the user's code scheduled (not a task waking up on a future it set)."""
    if isinstance(getattr(callback, "__self__", None), asyncio.Future):
        return False  # the cheap test first: this runs for every internal wake-up
    try:
        caller = sys._getframe(2)
    except ValueError:  # called from C with no Python code below: not the user's
        return False
    return is_user_file(caller.f_code.co_filename)


class _TrackingLoopMixin:
    """Attributes tasks, and ``call_soon``/``call_later``/``call_at`` made by the user's code.

    Every method is on the hot path of every request (the server's and asyncio's own calls come
    through here too), so each one first asks the one question that is cheap — is an invocation
    running? — and calls the base loop's method directly.
    """

    # set per base class by new_event_loop()
    _base_create_task: Callable[..., Any]
    _base_call_soon: Callable[..., Any]
    _base_call_soon_threadsafe: Callable[..., Any]
    _base_call_later: Callable[..., Any]
    _base_call_at: Callable[..., Any]

    def create_task(self, coro: Any, *, name: str | None = None, context: Any = None) -> Any:
        if context is None and _current_get() is None:
            return self._base_create_task(coro, name=name)
        return _create_task(self, type(self)._base_create_task, coro, name, context)  # type: ignore[arg-type]

    def call_soon(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_soon(callback, *args, context=context)
        work = CallbackWork(
            invocation, f"loop.call_soon({_describe.call(callback, args)})", capture_stack(sys._getframe(1))
        )
        work.handle = self._base_call_soon(work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_soon_threadsafe(callback, *args, context=context)
        work = CallbackWork(
            invocation,
            f"loop.call_soon_threadsafe({_describe.call(callback, args)})",
            capture_stack(sys._getframe(1)),
        )
        work.handle = self._base_call_soon_threadsafe(work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def call_later(
        self, delay: float, callback: Callable[..., Any], *args: Any, context: Any = None
    ) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_later(delay, callback, *args, context=context)
        work = CallbackWork(
            invocation,
            f"loop.call_later({delay:g}, {_describe.call(callback, args)})",
            capture_stack(sys._getframe(1)),
        )
        work.handle = self._base_call_later(delay, work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_at(when, callback, *args, context=context)
        work = CallbackWork(
            invocation, f"loop.call_at({_describe.call(callback, args)})", capture_stack(sys._getframe(1))
        )
        work.handle = self._base_call_at(when, work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        if current.get() is None:
            return super().run_in_executor(executor, func, *args)  # type: ignore[misc]
        token = via.set("loop.run_in_executor")
        try:
            return super().run_in_executor(executor, func, *args)  # type: ignore[misc]
        finally:
            via.reset(token)

    async def subprocess_exec(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_exec(*args, **kwargs), args[1:])  # type: ignore[misc]

    async def subprocess_shell(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_shell(*args, **kwargs), args[1:])  # type: ignore[misc]

    async def _track_subprocess(self, started: Any, command: tuple[Any, ...]) -> Any:
        invocation = current.get()
        stack = capture_stack(sys._getframe(2)) if invocation is not None else None
        token = current.set(None)  # the loop may use subprocess.Popen underneath: count it once
        try:
            with _orphans.spawning() as begun:
                transport, protocol = await started
                begun.pid = transport.get_pid()
        finally:
            current.reset(token)
        if invocation is not None and stack is not None:
            invocation.track(
                ProcessWork(
                    invocation,
                    transport,
                    lambda: transport.get_returncode() is None,
                    f"{_describe.command(list(command))} (pid {transport.get_pid()}, asyncio subprocess)",
                    stack,
                    begun.at,
                )
            )
        return transport, protocol


_LOOP_CLASSES: dict[type, type] = {}


def new_event_loop(use_uvloop: bool = True) -> asyncio.AbstractEventLoop:
    """A fresh event loop (uvloop when available) that attributes work when tracking is installed."""
    base: type[asyncio.AbstractEventLoop] = asyncio.SelectorEventLoop
    if use_uvloop:
        try:
            import uvloop

            base = uvloop.Loop
        except ImportError:  # pragma: no cover - uvloop is a dependency where it builds
            pass
    if not is_installed():
        return base()
    loop_class = _LOOP_CLASSES.get(base)
    if loop_class is None:
        methods = {
            f"_base_{name}": getattr(base, name)
            for name in ("create_task", "call_soon", "call_soon_threadsafe", "call_later", "call_at")
        }
        loop_class = type(f"Tracking{base.__name__}", (_TrackingLoopMixin, base), methods)
        _LOOP_CLASSES[base] = loop_class
    loop: asyncio.AbstractEventLoop = loop_class()
    return loop


def close_loop(loop: asyncio.AbstractEventLoop, timeout: float = 5.0) -> None:
    """Close the server's loop the way ``asyncio.run`` does: cancel what is still pending first.

    A library's long-lived tasks (a client's flush task, a connection pool's reader) are still
    pending when the server stops; closing the loop under them leaves coroutines that fail when
    they are collected ("Event loop is closed", "Task was destroyed but it is pending").
    """
    try:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            gathered = asyncio.gather(*pending, return_exceptions=True)
            loop.run_until_complete(asyncio.wait_for(gathered, timeout))
        loop.run_until_complete(loop.shutdown_asyncgens())
    except Exception:  # closing must not fail: the server is already down
        pass
    finally:
        loop.close()
