"""Attributing background work to the invocation that started it.

:func:`install` adds light hooks where Python starts work — asyncio task creation, loop
callbacks and subprocesses (a loop subclass), ``threading.Thread.start``, ``Executor.submit``,
``subprocess.Popen``, ``multiprocessing`` processes, and coroutines that are dropped unawaited.
Each hook reads one context variable; when no invocation is running (import time, the server's
own code) it does nothing else. When one is, the work is wrapped in a :class:`Work` and added to
that invocation. Threads started by an invocation carry its context, so the threads *they* start
are attributed to it too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import dis
import functools
import gc
import inspect
import multiprocessing.process
import os
import queue
import reprlib
import selectors
import subprocess
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

from ._invocation import (
    STACK_LIMIT,
    Invocation,
    RawFrame,
    Work,
    WorkKind,
    current,
    current_work,
    is_user_file,
)

# --- where work comes from -------------------------------------------------------------------

def _capture(frame: FrameType | None) -> list[RawFrame]:
    """The stack that is starting a piece of work (innermost first, at most STACK_LIMIT frames).

    Only the user's code runs as an invocation (the invoker sets ``current`` around it and nowhere
    else), so whatever starts work while an invocation is current starts it for that invocation.
    """
    stack: list[RawFrame] = []
    while frame is not None and len(stack) < STACK_LIMIT:
        code = frame.f_code
        stack.append((code.co_filename, frame.f_lineno or 0, code.co_name, None))
        frame = frame.f_back
    return stack


# --- describing work -------------------------------------------------------------------------

_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlevel = 2
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4


def _name_of(callable_: Any) -> str:
    name = getattr(callable_, "__qualname__", None) or getattr(callable_, "__name__", None)
    if name is None and isinstance(callable_, functools.partial):
        return _name_of(callable_.func)
    return str(name or type(callable_).__name__)


def _value(value: Any) -> str:
    if callable(value) and hasattr(value, "__qualname__"):  # functions, methods, classes
        return str(value.__qualname__)
    try:
        return _repr.repr(value)
    except Exception:  # a __repr__ that fails must not break the user's code
        return f"<{type(value).__name__}>"


def _call(function: Any, args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None) -> str:
    """``name(arg, key=value)``, short: how a report names a call."""
    if isinstance(function, functools.partial):
        args = (*function.args, *args)
        kwargs = {**function.keywords, **(kwargs or {})}
        function = function.func
    parts = [_value(a) for a in args]
    parts += [f"{k}={_value(v)}" for k, v in (kwargs or {}).items()]
    text = ", ".join(parts)
    if len(text) > 100:
        text = text[:97] + "..."
    return f"{_name_of(function)}({text})"


def _unwrap_context_run(fn: Any, args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...], bool]:
    """``asyncio.to_thread`` submits ``partial(context.run, fn, *args)``: see through it."""
    if isinstance(fn, functools.partial) and isinstance(
        getattr(fn.func, "__self__", None), contextvars.Context
    ) and fn.args:
        return fn.args[0], (*fn.args[1:], *args), True
    return fn, args, False


def _coroutine_call(coro: Any) -> str:
    """``name(args)`` of a coroutine, its arguments read from its frame (while it has one)."""
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    if frame is None:
        return f"{name}()"
    try:
        code = frame.f_code
        count = code.co_argcount + code.co_kwonlyargcount
        count += bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS)
        names = [n for n in code.co_varnames[:count] if n not in ("self", "cls")]
        values = frame.f_locals
        text = ", ".join(_value(values[n]) for n in names if n in values)
    except Exception:
        return f"{name}()"
    if len(text) > 100:
        text = text[:97] + "..."
    return f"{name}({text})"


def _thread_description(thread: threading.Thread) -> str:
    if isinstance(thread, threading.Timer):
        return (
            f"{thread.name!r}: threading.Timer({thread.interval:g}, "
            f"{_call(thread.function, tuple(thread.args), dict(thread.kwargs))})"
        )
    target = getattr(thread, "_target", None)
    if target is not None:
        args = tuple(getattr(thread, "_args", ()))
        kwargs = dict(getattr(thread, "_kwargs", None) or {})
        return f"{thread.name!r} running {_call(target, args, kwargs)}"
    if type(thread).run is not threading.Thread.run:
        return f"{thread.name!r} ({type(thread).__qualname__}.run)"
    return repr(thread.name)


# --- a library's long-lived infrastructure ----------------------------------------------------

# Work a library starts the first time it is used -- a logging transport's worker thread, a
# tracer's batch exporter, an asyncio client's flush task, an event loop run in a thread -- is
# started inside whichever invocation first uses the library, but it serves every invocation for
# the life of the instance. It is not that invocation's leftover: the user can do nothing about it
# but create the client at import time, and waiting for it (policy 'wait') would never end.
#
# Rule: when the function is done, a thread or task it started that is *idle* -- none of the
# user's code on its stack, blocked waiting for new input (a queue, an event, a condition, an
# idle event loop's selector) rather than for a result, a timer or I/O -- is a *service*: not a
# leftover, not waited for, not cancelled, and what it starts later is not attributed to the
# invocation. Infrastructure is made once: when the same code starts the same service again in a
# later invocation while the first one is still alive, it is a leak, reported like any leftover.

_THREADING_FILE = threading.__file__
_QUEUE_FILE = queue.__file__
_SELECTORS_FILE = selectors.__file__
_FUTURES_DIR = os.path.dirname(concurrent.futures.__file__) + os.sep
_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
_ASYNCIO_WAITS = {
    os.path.join(_ASYNCIO_DIR, "queues.py"): "get",  # asyncio.Queue.get
    os.path.join(_ASYNCIO_DIR, "locks.py"): "wait",  # asyncio.Event.wait, Condition.wait
}
_BLOCKING_BUILTINS = frozenset({"get"})
"""C methods a worker loop blocks in for its next item (``queue.SimpleQueue.get``)."""


def _idle_thread_stack(frame: FrameType) -> bool:
    """A thread's stack (innermost frame first) that is waiting for new input in library code."""
    innermost = frame
    caller: FrameType | None = None
    walk: FrameType | None = frame
    while walk is not None:
        filename = walk.f_code.co_filename
        if is_user_file(filename) or filename.startswith(_FUTURES_DIR):
            return False  # the user's code is running, or it waits for a result
        walk = walk.f_back
    code = innermost.f_code
    if code.co_filename == _THREADING_FILE:
        if code.co_name != "wait":  # Thread.join, Semaphore.acquire, ...: waiting for others
            return False
        if _notified(innermost):
            return False  # its input has arrived; it just has not woken up yet
        caller = innermost.f_back
        if caller is None:
            return False
        if caller.f_code.co_filename == _QUEUE_FILE:
            return caller.f_code.co_name == "get"  # not Queue.join (a flush) nor a full put()
        if caller.f_code.co_filename == _THREADING_FILE:
            # Event.wait() for a signal; with a timeout it is a timer (Timer.run, a delayed commit)
            return caller.f_code.co_name == "wait" and caller.f_locals.get("timeout") is None
        return True  # a Condition a library waits on for its next batch
    if code.co_filename == _SELECTORS_FILE:
        return code.co_name == "select"  # an idle event loop or socket server
    return _calling(innermost) in _BLOCKING_BUILTINS


def _notified(frame: FrameType) -> bool:
    """A ``Condition.wait`` frame whose waiter was already notified (``notify`` drops it)."""
    try:
        local = frame.f_locals
        condition, waiter = local.get("self"), local.get("waiter")
        return waiter is not None and waiter not in getattr(condition, "_waiters", (waiter,))
    except Exception:  # not the Condition.wait we know
        return False


_callees: dict[tuple[Any, int], str | None] = {}


def _calling(frame: FrameType) -> str | None:
    """The name of what ``frame`` is calling right now (a C function: no frame of its own)."""
    key = (frame.f_code, frame.f_lasti)
    if key in _callees:
        return _callees[key]
    name: str | None = None
    try:
        instructions = list(dis.get_instructions(frame.f_code))
        index = next(i for i, ins in enumerate(instructions) if ins.offset == frame.f_lasti)
        call = instructions[index]
        if call.opname in ("CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW"):
            wanted, depth = call.arg or 0, 0
            for ins in reversed(instructions[:index]):
                if ins.opname in ("PRECALL", "KW_NAMES", "CACHE"):
                    continue
                depth += dis.stack_effect(ins.opcode, ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None, jump=False)
                if depth > wanted:  # the value below the arguments: the callable
                    if ins.opname in ("LOAD_METHOD", "LOAD_ATTR", "LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME"):
                        name = str(ins.argval)
                    break
    except Exception:  # an unusual frame: not known to be idle
        name = None
    if len(_callees) < 4096:
        _callees[key] = name
    return name


def _idle_coroutine(coro: Any) -> bool:
    """A task's coroutine chain that is waiting for new input in library code."""
    if inspect.iscoroutine(coro) and inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
        return False  # it has not run yet: it is pending work
    innermost: FrameType | None = None
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        if is_user_file(frame.f_code.co_filename):
            return False
        innermost = frame
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    done = getattr(coro, "done", None)
    if innermost is None or (done is not None and done()):
        return False  # what it awaits is there already: it is about to run
    code = innermost.f_code
    return _ASYNCIO_WAITS.get(code.co_filename) == code.co_name


_services: dict[tuple[Any, ...], list[tuple[Any, str]]] = {}
"""(app, kind, entry point, site) -> [(weak reference to the thread or task, invocation id)]."""
_services_lock = threading.Lock()


def _alive(handle: Any) -> bool:
    if handle is None:
        return False
    if isinstance(handle, threading.Thread):
        return handle.is_alive()
    return not handle.done()


def _is_service(work: Any) -> bool:
    """Judge (once) whether running ``work`` is a library's long-lived infrastructure."""
    if work.service:
        return True
    if work.handed_off or not work.idle():
        return False
    site = work.site
    # per served app: the same source loaded again (another test client) is another app
    app = id(work.invocation.lifecycle)
    key = (app, work.kind, work.entry(), site.filename if site else "", site.lineno if site else 0)
    invocation = work.invocation.id
    with _services_lock:
        live = [(ref, by) for ref, by in _services.get(key, ()) if _alive(ref())]
        if any(by != invocation for _, by in live):
            _services[key] = live
            return False  # started again while the first is alive: a leak, not infrastructure
        try:
            live.append((weakref.ref(work.handle), invocation))
        except TypeError:  # pragma: no cover - handles are threads and tasks
            return False
        _services[key] = live
    work.service = True
    return True


# --- kinds of work ---------------------------------------------------------------------------


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
            text = _coroutine_call(get_coro()) if get_coro is not None else repr(task)
            self._call = text  # its arguments, read while it still has a frame
        get_name = getattr(task, "get_name", None)
        return f"{text} (task {get_name()!r})" if get_name is not None else text

    @description.setter
    def description(self, text: str) -> None:
        self._description = text

    def running(self) -> bool:
        return not self.task.done() and not _is_service(self)

    def idle(self) -> bool:
        get_coro = getattr(self.task, "get_coro", None)
        return get_coro is not None and _idle_coroutine(get_coro())

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
        return not _is_service(self)

    def idle(self) -> bool:
        if isinstance(self.thread, threading.Timer):
            return False  # a timer: its function is still to run
        frame = sys._current_frames().get(self.thread.ident or -1)
        return frame is not None and _idle_thread_stack(frame)

    def in_library(self) -> bool:
        if isinstance(self.thread, threading.Timer):
            return False
        frame = sys._current_frames().get(self.thread.ident or -1)
        while frame is not None:
            if is_user_file(frame.f_code.co_filename):
                return False
            frame = frame.f_back
        return True

    def entry(self) -> str:
        target = getattr(self.thread, "_target", None)
        return _name_of(target) if target is not None else type(self.thread).__qualname__

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

    def outlive(self) -> None:
        _watcher.watch(self)

    def abandon(self) -> None:
        kill = getattr(self.handle, "kill", None)
        if kill is not None:
            with contextlib.suppress(Exception):  # already gone
                kill()


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
                start_untracked(self.thread)

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
    concurrent.futures.ThreadPoolExecutor.submit = _thread_pool_submit  # type: ignore[method-assign,assignment]
    _original["ppe_submit"] = concurrent.futures.ProcessPoolExecutor.submit
    concurrent.futures.ProcessPoolExecutor.submit = _process_pool_submit  # type: ignore[method-assign,assignment]
    _original["popen_init"] = subprocess.Popen.__init__
    subprocess.Popen.__init__ = _popen_init  # type: ignore[method-assign]
    _original["mp_start"] = multiprocessing.process.BaseProcess.start
    multiprocessing.process.BaseProcess.start = _mp_start  # type: ignore[method-assign]
    _original["unawaited"] = getattr(warnings, "_warn_unawaited_coroutine", None)
    warnings._warn_unawaited_coroutine = _warn_unawaited  # type: ignore[attr-defined]
    _original["threadsafe"] = asyncio.run_coroutine_threadsafe
    asyncio.run_coroutine_threadsafe = asyncio.tasks.run_coroutine_threadsafe = _run_coroutine_threadsafe
    gc.callbacks.append(_gc_phase)


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
    asyncio.run_coroutine_threadsafe = asyncio.tasks.run_coroutine_threadsafe = _original["threadsafe"]
    if _gc_phase in gc.callbacks:
        gc.callbacks.remove(_gc_phase)


def is_installed() -> bool:
    return _installed


def start_untracked(thread: threading.Thread) -> None:
    """Start one of lastword's own threads: never attributed to an invocation."""
    (_original.get("thread_start") or threading.Thread.start)(thread)


# threads that belong to a pool shared by everyone; the job they run is tracked, not the thread
_POOL_THREAD_MODULES = ("anyio.", "concurrent.futures.")


def _thread_start(self: threading.Thread) -> None:
    invocation = current.get()
    if invocation is None or type(self).__module__.startswith(_POOL_THREAD_MODULES):
        _original["thread_start"](self)
        return
    stack = _capture(sys._getframe(1))
    work = ThreadWork(invocation, self, _thread_description(self), stack)
    context = contextvars.copy_context()
    run = self.run

    def run_for_invocation() -> None:
        error: BaseException | None = None
        context.run(current_work.set, work)
        try:
            context.run(run)
        except BaseException as exc:
            error = exc
            if not invocation.responded:
                raise
        finally:
            work.ended = True
            work.finished(error)

    self.run = run_for_invocation  # type: ignore[method-assign]
    invocation.track(work)
    try:
        _original["thread_start"](self)
    except BaseException:
        work.ended = True  # it never ran (too many threads, started twice, ...)
        raise


_via: contextvars.ContextVar[str | None] = contextvars.ContextVar("lastword_via", default=None)
"""How a job reached the executor, when not by a plain ``submit`` (``loop.run_in_executor``)."""


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
    stack = _capture(sys._getframe(2))
    target, target_args, to_thread = _unwrap_context_run(fn, args)
    via = "asyncio.to_thread" if to_thread else (_via.get() or f"{type(executor).__name__}.submit")
    work = FutureWork(invocation, f"{_call(target, target_args, kwargs)} via {via}", stack)
    # The pool's own threads and processes (started lazily by submit) serve every invocation: start
    # them outside this one. The job itself runs in the invocation's context (threads only).
    if carry_context:
        context = contextvars.copy_context()
        context.run(current_work.set, work)
        job: Callable[..., Any] = context.run
        call_args = (fn, *args)
    else:
        job = fn
        call_args = args
    token = current.set(None)
    try:
        future = original(executor, job, *call_args, **kwargs)
    finally:
        current.reset(token)
    work.attach(future)
    invocation.track(work)
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
    if invocation is None:
        return
    stack = _capture(sys._getframe(1))
    command = args[0] if args else kwargs.get("args")
    invocation.track(
        ProcessWork(
            invocation,
            self,
            lambda: self.poll() is None,
            f"{_short(command)} (pid {self.pid}, subprocess.Popen)",
            stack,
        )
    )


def _mp_start(self: multiprocessing.process.BaseProcess) -> None:
    invocation = current.get()
    stack = _capture(sys._getframe(1)) if invocation is not None else None
    if invocation is None or stack is None:
        _original["mp_start"](self)
        return
    target = getattr(self, "_target", None)  # start() drops the target: describe it first
    what = repr(self.name)
    if target is not None:
        args = tuple(getattr(self, "_args", ()))
        what += f" running {_call(target, args, dict(getattr(self, '_kwargs', None) or {}))}"
    _original["mp_start"](self)
    invocation.track(
        ProcessWork(invocation, self, self.is_alive, f"{what} (pid {self.pid}, multiprocessing)", stack)
    )


class ThreadsafeWork(FutureWork):
    """A coroutine handed to an event loop from another thread (``run_coroutine_threadsafe``).

    Any loop: also one the user runs in a thread of their own, which lastword's create_task hook does
    not see. The task the loop makes for it is this work, not another.
    """

    kind: WorkKind = "asyncio task"
    adopting = True
    """The loop has not made the task yet: create_task will adopt it, not track it again."""


def _run_coroutine_threadsafe(coro: Any, loop: asyncio.AbstractEventLoop) -> concurrent.futures.Future[Any]:
    original = _original["threadsafe"]
    invocation = current.get()
    stack = _capture(sys._getframe(1)) if invocation is not None else None
    if invocation is None or stack is None:
        return original(coro, loop)  # type: ignore[no-any-return]
    work = ThreadsafeWork(invocation, f"{_coroutine_call(coro)} via asyncio.run_coroutine_threadsafe", stack)
    token = current_work.set(work)  # the loop runs the coroutine in a copy of this context
    try:
        future = original(coro, loop)
    finally:
        current_work.reset(token)
    work.attach(future)
    invocation.track(work)
    return future  # type: ignore[no-any-return]


_collecting: set[int] = set()
"""Threads running the garbage collector right now."""


def _gc_phase(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _collecting.add(threading.get_ident())
    else:
        _collecting.discard(threading.get_ident())


def _warn_unawaited(coro: Any) -> None:
    invocation = current.get()
    # A coroutine freed by the garbage collector (it was in a reference cycle) is freed in whatever
    # code happened to trigger the collection: the invocation running then is not its creator.
    if invocation is None or (_collecting and threading.get_ident() in _collecting):
        original = _original.get("unawaited")
        if original is not None:
            original(coro)
        return
    stack = _capture(sys._getframe(1))
    invocation.track(UnawaitedCoroutine(invocation, _coroutine_call(coro), stack))


def _short(command: Any) -> str:
    text = " ".join(map(str, command)) if isinstance(command, (list, tuple)) else str(command)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# --- the event loop --------------------------------------------------------------------------


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
    stack = _capture(sys._getframe(2)) if invocation is not None else None
    if invocation is None or stack is None:
        if context is None:
            return create(loop, coro, name=name)
        return create(loop, coro, name=name, context=context)
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


_TASK_CONTEXT = sys.version_info >= (3, 11)


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


def adopt_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Track the tasks of a loop lastword did not create (its app hosted by another ASGI server).

    Such a loop gets a task factory; loop callbacks (``call_soon``, ``call_later``) on it are not
    tracked — only on loops from :func:`new_event_loop`.
    """
    if _installed and not isinstance(loop, _TrackingLoopMixin) and loop.get_task_factory() is None:
        loop.set_task_factory(_task_factory)  # type: ignore[arg-type]


_current_get = current.get


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

    # set per base class by _loop_class()
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
        work = CallbackWork(invocation, f"loop.call_soon({_call(callback, args)})", _capture(sys._getframe(1)))
        work.handle = self._base_call_soon(work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_soon_threadsafe(callback, *args, context=context)
        work = CallbackWork(
            invocation, f"loop.call_soon_threadsafe({_call(callback, args)})", _capture(sys._getframe(1))
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
            invocation, f"loop.call_later({delay:g}, {_call(callback, args)})", _capture(sys._getframe(1))
        )
        work.handle = self._base_call_later(delay, work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any, context: Any = None) -> Any:
        invocation = _current_get()
        if invocation is None or not _users_callback(callback):
            return self._base_call_at(when, callback, *args, context=context)
        work = CallbackWork(invocation, f"loop.call_at({_call(callback, args)})", _capture(sys._getframe(1)))
        work.handle = self._base_call_at(when, work.wrap(callback), *args, context=context)
        invocation.track(work)
        return work.handle

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        if current.get() is None:
            return super().run_in_executor(executor, func, *args)  # type: ignore[misc]
        token = _via.set("loop.run_in_executor")
        try:
            return super().run_in_executor(executor, func, *args)  # type: ignore[misc]
        finally:
            _via.reset(token)

    async def subprocess_exec(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_exec(*args, **kwargs), args[1:])  # type: ignore[misc]

    async def subprocess_shell(self, *args: Any, **kwargs: Any) -> Any:
        return await self._track_subprocess(super().subprocess_shell(*args, **kwargs), args[1:])  # type: ignore[misc]

    async def _track_subprocess(self, started: Any, command: tuple[Any, ...]) -> Any:
        invocation = current.get()
        stack = _capture(sys._getframe(2)) if invocation is not None else None
        token = current.set(None)  # the loop may use subprocess.Popen underneath: count it once
        try:
            transport, protocol = await started
        finally:
            current.reset(token)
        if invocation is not None and stack is not None:
            invocation.track(
                ProcessWork(
                    invocation,
                    transport,
                    lambda: transport.get_returncode() is None,
                    f"{_short(list(command))} (pid {transport.get_pid()}, asyncio subprocess)",
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
        methods = {
            f"_base_{name}": getattr(base, name)
            for name in ("create_task", "call_soon", "call_soon_threadsafe", "call_later", "call_at")
        }
        loop_class = type(f"Tracking{base.__name__}", (_TrackingLoopMixin, base), methods)
        _LOOP_CLASSES[base] = loop_class
    loop: asyncio.AbstractEventLoop = loop_class()
    return loop


_LOOP_CLASSES: dict[type, type] = {}


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
