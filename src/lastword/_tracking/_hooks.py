"""The standard library's entry points for starting work, wrapped; and unwrapped again.

:data:`PATCHES` lists every attribute :func:`install` replaces; :func:`uninstall` puts back
exactly what was there (or removes what was not). Each wrapper reads one context variable: when
no invocation is current (import time, lastword's own code) it calls the original and does
nothing else. When one is, the work is wrapped in a :class:`~lastword._invocation.Work` and added
to that invocation. Threads started by an invocation carry its context, so the threads *they*
start are attributed to it too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import gc
import importlib.abc
import importlib.machinery
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import multiprocessing.process

from .._invocation import capture_stack, current, current_work
from . import _describe, _orphans
from ._work import FutureWork, ProcessWork, ThreadsafeWork, ThreadWork, UnawaitedCoroutine

_MISSING = object()
_originals: dict[tuple[object, str], Any] = {}
"""(owner, attribute) -> what was there before :func:`install` (``_MISSING``: nothing)."""
_users = 0
"""How many callers asked for the hooks (servers, in-process test clients): the last one's
:func:`uninstall` removes them."""
_lock = threading.Lock()


def original(owner: object, name: str) -> Any:
    """What ``owner.name`` was before the hooks (itself when they are not installed)."""
    found = _originals.get((owner, name), _MISSING)
    return getattr(owner, name) if found is _MISSING else found


def start_untracked(thread: threading.Thread) -> None:
    """Start one of lastword's own threads: outside any invocation, so never attributed."""
    contextvars.Context().run(thread.start)


# --- the wrappers ----------------------------------------------------------------------------

# threads that belong to a pool shared by everyone; the job they run is tracked, not the thread
_POOL_THREAD_MODULES = ("anyio.", "concurrent.futures.")


def _thread_start(self: threading.Thread) -> None:
    invocation = current.get()
    if invocation is None or type(self).__module__.startswith(_POOL_THREAD_MODULES):
        _original_thread_start(self)
        return
    stack = capture_stack(sys._getframe(1))
    work = ThreadWork(invocation, self, _describe.thread(self), stack)
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
        _original_thread_start(self)
    except BaseException:
        work.ended = True  # it never ran (too many threads, started twice, ...)
        raise


def _original_thread_start(thread: threading.Thread) -> None:
    original(threading.Thread, "start")(thread)


via: contextvars.ContextVar[str | None] = contextvars.ContextVar("lastword_via", default=None)
"""How a job reached the executor, when not by a plain ``submit`` (``loop.run_in_executor``)."""


def _submit(
    method: str,
    executor: concurrent.futures.Executor,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    carry_context: bool,
) -> concurrent.futures.Future[Any]:
    submit = original(_owner(*_EXECUTORS[method]), "submit")
    invocation = current.get()
    if invocation is None:
        return submit(executor, fn, *args, **kwargs)  # type: ignore[no-any-return]
    stack = capture_stack(sys._getframe(2))
    target, target_args, to_thread = _describe.unwrap_context_run(fn, args)
    how = "asyncio.to_thread" if to_thread else (via.get() or f"{type(executor).__name__}.submit")
    work = FutureWork(invocation, f"{_describe.call(target, target_args, kwargs)} via {how}", stack)
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
        future: concurrent.futures.Future[Any] = submit(executor, job, *call_args, **kwargs)
    finally:
        current.reset(token)
    work.attach(future)
    invocation.track(work)
    return future


_EXECUTORS = {
    "thread": ("concurrent.futures.thread", "ThreadPoolExecutor"),
    "process": ("concurrent.futures.process", "ProcessPoolExecutor"),
}


def _thread_pool_submit(
    self: concurrent.futures.ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
) -> concurrent.futures.Future[Any]:
    return _submit("thread", self, fn, args, kwargs, carry_context=True)


def _process_pool_submit(
    self: concurrent.futures.ProcessPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
) -> concurrent.futures.Future[Any]:
    return _submit("process", self, fn, args, kwargs, carry_context=False)


def _popen_init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
    invocation = current.get()
    with _orphans.spawning() as begun:  # any child of this process: not an orphan it adopted
        original(subprocess.Popen, "__init__")(self, *args, **kwargs)
        begun.pid = self.pid
    if invocation is None:
        return
    stack = capture_stack(sys._getframe(1))
    command = args[0] if args else kwargs.get("args")
    invocation.track(
        ProcessWork(
            invocation,
            self,
            lambda: self.poll() is None,
            f"{_describe.command(command)} (pid {self.pid}, subprocess.Popen)",
            stack,
            begun.at,
        )
    )


def _mp_start(self: multiprocessing.process.BaseProcess) -> None:
    start = original(_owner("multiprocessing.process", "BaseProcess"), "start")
    invocation = current.get()
    if invocation is None:
        with _orphans.spawning() as begun:
            start(self)
            begun.pid = self.pid
        return
    stack = capture_stack(sys._getframe(1))
    what = _describe.process(self)  # start() drops the target: describe it first
    with _orphans.spawning() as begun:
        start(self)
        begun.pid = self.pid
    invocation.track(
        ProcessWork(
            invocation, self, self.is_alive, f"{what} (pid {self.pid}, multiprocessing)", stack,
            begun.at,
        )
    )


def _run_coroutine_threadsafe(coro: Any, loop: asyncio.AbstractEventLoop) -> concurrent.futures.Future[Any]:
    run = original(asyncio.tasks, "run_coroutine_threadsafe")
    invocation = current.get()
    if invocation is None:
        return run(coro, loop)  # type: ignore[no-any-return]
    stack = capture_stack(sys._getframe(1))
    work = ThreadsafeWork(
        invocation, f"{_describe.coroutine_call(coro)} via asyncio.run_coroutine_threadsafe", stack
    )
    token = current_work.set(work)  # the loop runs the coroutine in a copy of this context
    try:
        future: concurrent.futures.Future[Any] = run(coro, loop)
    finally:
        current_work.reset(token)
    work.attach(future)
    invocation.track(work)
    return future


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
        warn = original(warnings, "_warn_unawaited_coroutine")
        if warn is not _warn_unawaited and callable(warn):
            warn(coro)
        return
    stack = capture_stack(sys._getframe(1))
    invocation.track(UnawaitedCoroutine(invocation, _describe.coroutine_call(coro), stack))


# --- install / uninstall ---------------------------------------------------------------------

PATCHES: tuple[tuple[str, str, str, Any], ...] = (
    ("threading", "Thread", "start", _thread_start),
    ("concurrent.futures.thread", "ThreadPoolExecutor", "submit", _thread_pool_submit),
    ("concurrent.futures.process", "ProcessPoolExecutor", "submit", _process_pool_submit),
    ("subprocess", "Popen", "__init__", _popen_init),
    ("multiprocessing.process", "BaseProcess", "start", _mp_start),
    ("warnings", "", "_warn_unawaited_coroutine", _warn_unawaited),
    ("asyncio.tasks", "", "run_coroutine_threadsafe", _run_coroutine_threadsafe),
    ("asyncio", "", "run_coroutine_threadsafe", _run_coroutine_threadsafe),
)
"""(module, class or "" for the module itself, attribute, wrapper): every standard-library entry
point the hooks replace. A module not imported yet (``multiprocessing``, process pools: costly,
and rarely used by a function) is patched when it is imported, not imported to be patched. The
event loop's own (``create_task``, ``call_soon``, ``call_later``, ``call_at``, subprocesses) are
not patched: lastword's loops are a subclass (:mod:`._loop`), and a loop it did not create gets a
task factory. ``gc.callbacks`` gets one callback, to tell coroutines the collector frees."""


def _owner(module: str, name: str) -> Any:
    found: Any = sys.modules[module]
    return getattr(found, name) if name else found


def _patch(module: str) -> None:
    """Apply the patches of ``module`` (imported now)."""
    for wanted, owner_name, name, wrapper in PATCHES:
        if wanted != module:
            continue
        owner = _owner(module, owner_name)
        if (owner, name) not in _originals:
            _originals[(owner, name)] = getattr(owner, name, _MISSING)
            setattr(owner, name, wrapper)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches a module of :data:`PATCHES` right after it is first imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _pending:
            return None
        spec: importlib.machinery.ModuleSpec | None = None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        if spec is None:
            return None
        loader = spec.loader
        execute = getattr(loader, "exec_module", None)
        if execute is None:
            return spec

        def exec_module(module: ModuleType) -> None:
            execute(module)
            with _lock:
                if _pending.pop(fullname, None) is not None and _users > 0:
                    _patch(fullname)

        spec.loader = _Loader(loader, exec_module)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: Any, execute: Callable[[ModuleType], None]):
        self.loader = loader
        self.execute = execute

    def exec_module(self, module: ModuleType) -> None:
        self.execute(module)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        create = getattr(self.loader, "create_module", None)
        return create(spec) if create is not None else None


_pending: dict[str, bool] = {}
"""Modules of :data:`PATCHES` not imported yet when the hooks were installed."""
_finder = _PatchOnImport()


def install() -> None:
    """Install the hooks (a count: each :func:`install` wants one :func:`uninstall`)."""
    global _users
    with _lock:
        _users += 1
        if _users > 1:
            return
        for module in dict.fromkeys(patch[0] for patch in PATCHES):
            if module in sys.modules:
                _patch(module)
            else:
                _pending[module] = True
        if _pending and _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
        gc.callbacks.append(_gc_phase)


def uninstall() -> None:
    """Give back one :func:`install`; the last one puts every patched attribute back as it was."""
    global _users
    with _lock:
        if _users == 0:
            return
        _users -= 1
        if _users > 0:
            return
        _pending.clear()
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        for (owner, name), previous in reversed(list(_originals.items())):
            if previous is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, previous)
        _originals.clear()
        while _gc_phase in gc.callbacks:
            gc.callbacks.remove(_gc_phase)
        _collecting.clear()
    from ._loop import release_adopted

    release_adopted()
    _orphans.release()


def is_installed() -> bool:
    return _users > 0
