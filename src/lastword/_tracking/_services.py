"""The idle rule: long-lived workers are infrastructure, not leftovers.

A worker started lazily by one request -- a logging transport's thread, a tracer's batch exporter,
an asyncio client's flush task, a queue consumer of the user's own, an event loop run in a thread
-- serves every later request for the life of the instance. When the function is done, what such a
thread or task is *doing* decides what it is, whoever wrote it:

- ``idle``: blocked waiting for new input (``queue.Queue.get``, ``SimpleQueue.get``, a
  ``Condition`` wait, an untimed ``Event.wait``, an idle event loop's selector,
  ``asyncio.Queue.get``, ``asyncio.Event``/``Condition.wait`` awaited by the task's own coroutine
  or the user's code). Nothing of this request is left in it: it is a *service*, never a leftover.
- ``waiting``: blocked on something that ends by itself or when other work ends: a sleep, a timer
  (``Event.wait(timeout)``; a timed ``Queue.get`` collecting a batch, items taken but not done),
  a result (``Future.result``, ``Thread.join``, ``Queue.join``), a lock, I/O (also an
  ``asyncio.Event`` a library call waits on inside, as httpx and anyio do for their sockets).
  It has work in flight: a leftover.
- ``running``: executing code (a task: ready to run; a consumer whose next item has arrived).
  It may be about to finish, or to go back to waiting for its next item: the lifecycle gives it
  a moment before judging it.

Infrastructure is made once: when the same line starts the same kind of service again while the
first one is still alive, it is a leak, reported like any leftover. :class:`Services` remembers
the services of one served function (it lives on its :class:`~lastword._lifecycle.Lifecycle`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dis
import inspect
import os
import queue
import selectors
import threading
import types
import weakref
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

from .._invocation import is_user_file

if TYPE_CHECKING:
    from .._invocation import Work

State = Literal["idle", "waiting", "running"]

_THREADING_FILE = threading.__file__
_QUEUE_FILE = queue.__file__
_SELECTORS_FILE = selectors.__file__
_LOG_WRITERS = frozenset({
    os.path.join(os.path.dirname(threading.__file__), "logging", "__init__.py"),
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_logging.py"),
})
"""Where a thread writes a log record (the standard handlers, lastword's own): a moment's work."""
_FUTURES_DIR = os.path.dirname(concurrent.futures.__file__) + os.sep
_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
_ASYNCIO_QUEUES = os.path.join(_ASYNCIO_DIR, "queues.py")
_ASYNCIO_LOCKS = os.path.join(_ASYNCIO_DIR, "locks.py")

_BLOCKING_CALLS = frozenset({
    "sleep", "acquire", "join", "wait", "result", "waitpid", "communicate",
    "recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "accept", "connect",
    "send", "sendall", "sendto", "sendmsg", "read", "readinto", "readline", "write", "flush",
    "select", "poll", "epoll", "getaddrinfo", "urlopen",
})
"""C functions a thread blocks in that end by themselves (a sleep, I/O) or with other work."""

_LOOPS_IN_C = frozenset({"run_forever"})
"""An event loop written in C (uvloop) waiting for its next callback: its work is its tasks."""


# --- threads ---------------------------------------------------------------------------------


def thread_state(frame: FrameType) -> State:
    """What a thread is doing, from its innermost frame."""
    return _activity(frame)[0]


def thread_executing(frame: FrameType) -> bool:
    """Executing code, or writing a log record: all it needs to move on is the CPU."""
    state, _ = _activity(frame)
    return state == "running" or (state == "waiting" and frame.f_code.co_filename in _LOG_WRITERS)


def thread_settling(frame: FrameType) -> bool:
    """Executing code; or, with none of the user's code on its stack, a library's worker blocked in
    anything but a timer (writing the log record the function just emitted, say): it may be about
    to finish, or to go back to waiting for its next item."""
    state, reason = _activity(frame)
    if state != "waiting":
        return state == "running"
    if reason == "timer":
        return False
    if frame.f_code.co_filename in _LOG_WRITERS:
        return True  # writing a log record, whoever logged it (a done-callback of the user's)
    walk: FrameType | None = frame
    while walk is not None:
        if is_user_file(walk.f_code.co_filename):
            return False
        walk = walk.f_back
    return True


def _activity(frame: FrameType) -> tuple[State, str]:
    """(state, why): why is ``input``, ``timer`` (a sleep, a timed Event.wait), ``other`` (a
    result, a join, a lock, I/O) or ``code``."""
    code = frame.f_code
    if code.co_filename == _THREADING_FILE and code.co_name == "wait":
        return _condition_state(frame)
    if code.co_filename == _SELECTORS_FILE:
        return ("idle", "input") if code.co_name == "select" else ("waiting", "other")
    called, receiver = _calling(frame)
    if called is None:
        return "running", "code"
    owner = _resolve(frame, receiver) if receiver else None
    callee = _resolve(frame, (*receiver, called))
    if isinstance(callee, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        called, owner = callee.__name__, callee.__self__  # what a Thread's target really is
    if called == "get" and isinstance(owner, queue.SimpleQueue):
        if owner.qsize():  # its next item is there: it has not woken up yet
            return "running", "code"
        return "idle", "input"
    if called in _LOOPS_IN_C:
        return "idle", "input"
    if called == "sleep":
        return "waiting", "timer"
    return ("waiting", "other") if called in _BLOCKING_CALLS else ("running", "code")


def _condition_state(frame: FrameType) -> tuple[State, str]:
    """A thread blocked in ``Condition.wait``: for new input, or for other work?"""
    if _notified(frame):
        return "running", "code"  # its input has arrived; it has not woken up yet
    caller = frame.f_back
    while caller is not None and caller.f_code.co_filename == _THREADING_FILE:
        name = caller.f_code.co_name
        if name == "wait":  # Event.wait: untimed, a signal; timed, a timer (Timer.run, a poller)
            if caller.f_locals.get("timeout") is not None:
                return "waiting", "timer"
        elif name == "run":  # Thread.run calling its target: the wait is the thread's work
            break
        elif name != "wait_for":  # Semaphore.acquire, Barrier.wait: for other work
            return "waiting", "other"
        caller = caller.f_back
    if caller is None:
        return "waiting", "other"
    filename = caller.f_code.co_filename
    if filename == _QUEUE_FILE:  # get: for the next item; join (a flush), put (full): for others
        if caller.f_code.co_name != "get":
            return "waiting", "other"
        return _queue_get_state(caller)
    if filename.startswith(_FUTURES_DIR):  # Future.result(), wait(), as_completed(): a result
        return "waiting", "other"
    return "idle", "input"  # a Condition waited on for its next item or batch


def _queue_get_state(frame: FrameType) -> tuple[State, str]:
    """A thread blocked in ``Queue.get``: for its next item; but a *timed* get while items taken
    from that queue are not done yet (``unfinished_tasks`` counts them until ``task_done()``) is a
    worker collecting a batch, which it works on when the time is up: a timer."""
    try:
        local = frame.f_locals
        source, timeout = local.get("self"), local.get("timeout")
        if isinstance(source, queue.Queue) and timeout is not None and local.get("block", True):
            taken = source.unfinished_tasks - source._qsize()
            if taken > 0:
                return "waiting", "timer"
    except Exception:  # not the Queue.get we know
        pass
    return "idle", "input"


def _notified(frame: FrameType) -> bool:
    """A ``Condition.wait`` frame whose waiter was already notified (``notify`` drops it)."""
    try:
        local = frame.f_locals
        condition, waiter = local.get("self"), local.get("waiter")
        return waiter is not None and waiter not in getattr(condition, "_waiters", (waiter,))
    except Exception:  # not the Condition.wait we know
        return False


_CALLS = frozenset({"CALL", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW", "CALL_KW", "CALL_FUNCTION_EX"})
_KEYWORD_CALLS = frozenset({"CALL_FUNCTION_KW", "CALL_KW"})  # keyword names on top of the arguments
_LOADS = frozenset({"LOAD_METHOD", "LOAD_ATTR", "LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME"})
_ATTRIBUTES = frozenset({"LOAD_METHOD", "LOAD_ATTR"})
_NAMES = frozenset({"LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_FAST_CHECK"})
_PAIRS = frozenset({"LOAD_FAST_LOAD_FAST", "STORE_FAST_LOAD_FAST"})  # 3.13: the second is loaded
_SKIP = frozenset({"CACHE"})
_callees: dict[tuple[Any, int], tuple[str | None, tuple[str, ...]]] = {}


def _calling(frame: FrameType) -> tuple[str | None, tuple[str, ...]]:
    """What ``frame`` is calling right now (a C function: no frame of its own): its name, and the
    names the object it is a method of was loaded by (``("self", "_jobs")`` for
    ``self._jobs.get()``), or ``(None, ())`` when it is not calling anything."""
    key = (frame.f_code, frame.f_lasti)
    known = _callees.get(key)
    if known is not None:
        return known
    try:
        found = _callee(frame)
    except Exception:  # an unusual frame: not known to be calling anything
        found = (None, ())
    if len(_callees) < 4096:
        _callees[key] = found
    return found


def _callee(frame: FrameType) -> tuple[str | None, tuple[str, ...]]:
    instructions = [i for i in dis.get_instructions(frame.f_code) if i.opname not in _SKIP]
    index = next(i for i, ins in enumerate(instructions) if ins.offset == frame.f_lasti)
    call = instructions[index]
    if call.opname not in _CALLS:
        return None, ()
    if call.opname == "CALL_FUNCTION_EX":  # f(*args, **kwargs): a tuple, and maybe a dict
        wanted = 1 + ((call.arg or 0) & 1)
    else:
        wanted = (call.arg or 0) + (call.opname in _KEYWORD_CALLS)
    # The stack at the call: [callable and self or NULL (in either order), arguments...]. Walk back
    # to the instruction that pushed the value just below the arguments (or the one below that,
    # when it is the NULL), then forward through the attribute loads applied to it.
    first = index - 1
    while first >= 0 and instructions[first].opname in ("PRECALL", "KW_NAMES"):
        first -= 1  # 3.11: part of this call, after its arguments
    for position in (wanted, wanted + 1):
        depth = 0
        for at in range(first, -1, -1):
            ins = instructions[at]
            arg = ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None
            depth += dis.stack_effect(ins.opcode, arg, jump=False)
            if depth > position:
                break
        else:
            return None, ()
        if ins.opname == "PUSH_NULL":
            continue
        end = at
        while end + 1 < index and instructions[end + 1].opname in _ATTRIBUTES:
            end += 1
        if instructions[end].opname not in _LOADS:
            return None, ()
        return str(instructions[end].argval), _receiver(instructions, end)
    return None, ()


def _receiver(instructions: list[dis.Instruction], at: int) -> tuple[str, ...]:
    """The names that loaded the object whose attribute ``instructions[at]`` loads."""
    if instructions[at].opname not in _ATTRIBUTES:
        return ()
    path: list[str] = []
    for ins in reversed(instructions[:at]):
        if ins.opname in _ATTRIBUTES:
            path.append(str(ins.argval))
            continue
        if ins.opname in _NAMES:
            path.append(str(ins.argval))
            return tuple(reversed(path))
        if ins.opname in _PAIRS and isinstance(ins.argval, tuple):
            path.append(str(ins.argval[-1]))
            return tuple(reversed(path))
        break
    return ()


def _resolve(frame: FrameType, path: tuple[str, ...]) -> Any:
    """The object named by ``path`` in ``frame`` (attributes read without running any code)."""
    if not path:
        return None
    try:
        local = frame.f_locals
        name, *attributes = path
        value = local[name] if name in local else frame.f_globals.get(name)
        for attribute in attributes:
            value = inspect.getattr_static(value, attribute, None)
        return value
    except Exception:
        return None


# --- asyncio tasks ---------------------------------------------------------------------------


def task_state(coro: Any) -> State:
    """What a task is doing, from its coroutine chain."""
    if inspect.iscoroutine(coro) and inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
        return "running"  # it has not run yet: it is about to
    frames: list[FrameType] = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        frames.append(frame)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    done = getattr(coro, "done", None)
    if not frames or (done is not None and done()):
        return "running"  # what it awaits is there already: it is about to run
    innermost = frames[-1].f_code
    caller = frames[-2].f_code if len(frames) > 1 else None
    if innermost.co_filename == _ASYNCIO_QUEUES:
        return "idle" if innermost.co_name == "get" else "waiting"
    if innermost.co_filename == _ASYNCIO_LOCKS and innermost.co_name == "wait":
        # Event.wait or Condition.wait; not the Event inside Queue.join (a flush)
        if caller is not None and caller.co_filename == _ASYNCIO_QUEUES:
            return "waiting"
        outside = [f for f in frames if f.f_code.co_filename != _ASYNCIO_LOCKS]  # Condition.wait_for
        if not outside or outside[-1] is frames[0] or is_user_file(outside[-1].f_code.co_filename):
            # the worker's own loop waits for its signal: the task's coroutine itself, or the
            # user's code, waits on the Event or Condition
            return "idle"
        # a wait inside a call the task is making (a client awaiting its socket's data through an
        # Event, as anyio's streams do): that call's result is on its way
        return "waiting"
    return "waiting"


# --- the registry ----------------------------------------------------------------------------


class Services:
    """The services (idle long-lived workers) of one served function."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_site: dict[tuple[Any, ...], list[tuple[Any, str]]] = {}
        """(kind, entry point, file, line) -> [(weak reference to the thread or task, invocation id)]."""

    def admit(self, work: Work) -> bool:
        """Record idle ``work`` as a service; False if it is a leak (see the module docstring)."""
        site = work.site
        key = (work.kind, work.entry(), site.filename if site else "", site.lineno if site else 0)
        invocation = work.invocation.id
        with self._lock:
            live = [(ref, by) for ref, by in self._by_site.get(key, ()) if _alive(ref())]
            if any(by != invocation for _, by in live):
                self._by_site[key] = live
                return False  # started again while the first is alive: a leak, not infrastructure
            try:
                live.append((weakref.ref(work.handle), invocation))
            except TypeError:  # pragma: no cover - handles are threads and tasks
                return False
            self._by_site[key] = live
        return True


def _alive(handle: Any) -> bool:
    if handle is None:
        return False
    if isinstance(handle, threading.Thread):
        return handle.is_alive()
    return not handle.done()


def is_service(work: Work) -> bool:
    """Judge (once) whether running ``work`` is long-lived infrastructure rather than a leftover."""
    if work.service:
        return True
    if work.handed_off or work.state() != "idle":
        return False
    lifecycle = work.invocation.lifecycle
    services: Services | None = getattr(lifecycle, "services", None)
    if services is None or not services.admit(work):
        return False
    work.service = True
    return True
