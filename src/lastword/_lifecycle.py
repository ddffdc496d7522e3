"""The rule, enforced: what happens to an invocation's work when its response goes out.

:class:`Lifecycle` is owned by the app. It begins invocations, and at completion — the function
returned its response, or a streamed response finished — it settles them: waits for the work
handed to ``wait_until`` (when CPU is request-scoped), then applies the background policy to
whatever is still running. It writes nothing itself: it tells its observers
(:mod:`lastword._observe`), which log the reports and the request line, or record them for a test.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from ._config import BackgroundPolicy, CpuAllocation
from ._invocation import Invocation, Work
from ._observe import CallbackObserver, Observer
from ._report_texts import Event
from ._tracking._services import Services

SETTLE_GRACE = 0.02
"""Seconds a leftover that is executing code may take to finish, or to go back to waiting for its
next item, before it is judged."""
SETTLE_CAP = 1.0
"""On a loaded machine a thread executing code may get little of the CPU in that time: it is given
``SETTLE_GRACE`` of its own CPU time instead, within these seconds."""


def default_observers() -> list[Observer]:
    """The request line, then lastword's reports about the invocation."""
    from ._reports import ReportLog
    from ._request_log import RequestLog

    return [RequestLog(), ReportLog()]


class Lifecycle:
    """Begins, settles and reports the invocations of one function."""

    def __init__(
        self,
        function: str,
        policy: BackgroundPolicy = "warn",
        cpu: CpuAllocation = "request",
        timeout: float = 300.0,
        observer: Callable[[Invocation], None] | None = None,
        observers: Iterable[Observer] | None = None,
        acknowledges: str | None = None,
    ):
        self.function = function
        self.acknowledges = acknowledges
        """What the response acknowledges ("event", ...), for an event or typed function: a
        leftover is then also an acknowledged delivery whose work may be lost."""
        self.policy = policy
        self.cpu = cpu
        self.timeout = timeout
        self.observers: list[Observer] = (
            list(observers) if observers is not None else default_observers()
        )
        """Told about every invocation, in order (``observer``, a function of the responded
        invocation, comes last)."""
        if observer is not None:
            self.observers.append(CallbackObserver(observer))
        self.services = Services()
        """Long-lived workers its invocations started that serve every invocation (the idle rule)."""
        self.outliving: set[Work] = set()
        """Handed-off work allowed to outlive its response (cpu='always'); drained on shutdown."""
        self.freezes: Callable[[], tuple[int, float, float]] | None = None
        """Set in a worker under ``--cpu request``: (times frozen, last frozen at, last thawed
        at), as the supervisor notes them."""
        self._freezes_seen = 0
        self.may_have_frozen = False
        """Set by the worker when it is reached after saying it was idle: the next invocation
        asks ``freezes`` whether it was frozen (only then: it is a read of the shared table)."""
        self.wakes: collections.deque[tuple[float, float, str]] = collections.deque(maxlen=64)
        """(frozen at, thawed at, the invocation that arrived to a frozen worker)."""
        self.left_running: weakref.WeakSet[Work] = weakref.WeakSet()
        """Leftovers reported at their response, while they run: abandoned if still running at
        shutdown (held weakly: a finished one is forgotten with its invocation)."""

    def begin(
        self,
        execution_id: str | None,
        loop: asyncio.AbstractEventLoop | None,
        scope: Any = None,
    ) -> Invocation:
        invocation = Invocation(
            execution_id, self.function, self.policy, self.cpu, self.timeout, self, loop
        )
        invocation.scope = scope
        if self.may_have_frozen and self.freezes is not None:
            self.may_have_frozen = False
            count, frozen_at, thawed_at = self.freezes()
            if count != self._freezes_seen:  # this request found the worker frozen
                self._freezes_seen = count
                self.wakes.append((frozen_at, thawed_at, invocation.id))
        return invocation

    def frozen_after(self, invocation: Invocation) -> tuple[float, str] | None:
        """If the worker was frozen after ``invocation`` responded: (seconds from its response to
        the first freeze, the invocation during which the worker last resumed)."""
        if not invocation.ended:
            return None
        ended = invocation.ended
        later = [wake for wake in self.wakes if wake[0] >= ended]
        if not later:
            return None
        return later[0][0] - ended, later[-1][2]

    async def settle(self, invocation: Invocation) -> int | None:
        """Called once the function is done and before the last of its response is sent.

        Returns a status that must replace the response (500), or None to send it as it is.
        """
        if not invocation.work:
            return None
        handed_off = invocation.handed_off()
        if handed_off:
            if invocation.cpu == "request":
                await wait_for(handed_off, invocation.deadline)
            else:
                for work in handed_off:
                    if work.running():
                        self.outliving.add(work)
        if any(w.kind == "child process" for w in invocation.work):
            from ._tracking import find_orphans

            find_orphans(invocation)  # what its child processes left running when they exited
        if invocation.unawaited():
            invocation.left = invocation.leftovers()
            invocation.outcome = "unawaited-coroutine"
            return 500
        leftovers = invocation.left = invocation.leftovers()
        settling = [w for w in leftovers if w.settling()]
        if settling:
            # A worker busy for a moment (a consumer back from the item the function just joined,
            # a library writing the log record it just emitted) settles into waiting for its next
            # item: give it that moment, so the judgement does not depend on the scheduler.
            await _grace(settling)
            leftovers = invocation.left = invocation.leftovers()
        if not leftovers:
            return None
        policy = invocation.policy
        if policy == "wait":
            started = time.monotonic()
            await wait_for(leftovers, invocation.deadline)
            invocation.waited_for = leftovers
            invocation.left = [w for w in leftovers if w.running()]
            seconds = time.monotonic() - started
            for observer in self.observers:
                try:
                    observer.waited(invocation, leftovers, seconds, not invocation.left)
                except Exception:  # an observer must not fail the request
                    _failed(observer)
        elif policy == "cancel":
            invocation.cancelled = [w for w in leftovers if w.cancel()]
            for work in invocation.cancelled:
                work.cancelled_by_policy = True
            invocation.left = [w for w in leftovers if not w.cancelled_by_policy]
            if invocation.cancelled:
                await asyncio.sleep(0)  # let cancelled tasks unwind before the response goes out
        elif policy == "error":
            invocation.outcome = "left-work"
            return 500
        return None

    def responded(self, invocation: Invocation, status: int) -> None:
        """The last byte of the response was handed to the server: tell the observers."""
        invocation.responded = True
        invocation.status = status
        invocation.ended = time.monotonic()
        if invocation.outcome is None:
            invocation.outcome = "ok" if status < 500 else "crash"
        if invocation.work:  # nothing to judge, and nothing allocated, for a plain request
            left = set(leftovers_at_response(invocation))
            for work in invocation.work:
                if work.kind == "unawaited coroutine":
                    work.reported = True
                elif work in left and not work.cancelled_by_policy:
                    work.reported = True
                    work.outlive()
                    self.left_running.add(work)
        for observer in self.observers:
            try:
                observer.responded(invocation)
            except Exception:  # an observer must not fail the request
                _failed(observer)

    def late(self, work: Work, event: Event, error: BaseException | None = None) -> None:
        """Something happened to ``work`` after its invocation responded."""
        for observer in self.observers:
            try:
                observer.late(work, event, error)
            except Exception:  # an observer must not fail the request
                _failed(observer)

    def finished_late(self, work: Work, error: BaseException | None, cancelled: bool) -> None:
        """``work`` of an invocation that already responded ended."""
        if error is not None:
            self.late(work, "raised-late", error)
        elif not (cancelled or work.cancelled_by_policy) and work.reported:
            self.late(work, "finished-late")

    async def drain(self, timeout: float) -> list[Work]:
        """Shutting down: wait (up to ``timeout`` s) for handed-off work that outlived its
        response, and let the observers say what they have not said yet. Returns every piece of
        work still running (handed off or left behind): to be abandoned."""
        pending = [w for w in self.outliving if w.running()]
        await wait_for(pending, time.monotonic() + timeout)
        self.outliving.clear()
        self.close()
        left = [w for w in pending if w.running()]
        left += [w for w in list(self.left_running) if w not in left and w.running()]
        self.left_running.clear()
        return left

    def close(self) -> None:
        for observer in self.observers:
            try:
                observer.closed()
            except Exception:  # an observer must not fail the request
                _failed(observer)


def _failed(observer: Observer) -> None:
    logging.getLogger("lastword").exception(
        "lastword: an observer of the lifecycle (%s) failed", type(observer).__qualname__
    )


def leftovers_at_response(invocation: Invocation) -> list[Work]:
    """What was left running when the response went out (not cancelled, not handed off)."""
    if invocation.left is not None:
        return [w for w in invocation.left if w.kind != "unawaited coroutine"]
    return [w for w in invocation.leftovers() if w.kind != "unawaited coroutine"]


async def _grace(settling: list[Work]) -> None:
    """``SETTLE_GRACE`` for work that may be about to settle, measured in the CPU time of a thread
    executing code (on a loaded machine it may not run at all for that long: then it is waited
    for until it has run that long, or ``SETTLE_CAP``), in wall time for the rest."""
    started = time.monotonic()
    cpu = {w: w.cpu_seconds() for w in settling}
    await wait_for(settling, started + SETTLE_GRACE, until_settled=True)
    while time.monotonic() < started + SETTLE_CAP:
        starved = []
        for work in settling:
            before = cpu[work]
            if before is None or not (work.running() and work.executing()):
                continue  # executing code (or writing a log record) is settling too
            used = work.cpu_seconds()
            if used is not None and used - before < SETTLE_GRACE:
                starved.append(work)
        if not starved:
            return
        await wait_for(starved, min(started + SETTLE_CAP, time.monotonic() + 0.005),
                       until_settled=True)


async def wait_for(works: list[Work], deadline: float, until_settled: bool = False) -> None:
    """Wait until none of ``works`` is running (``until_settled``: none is running and still
    settling), or until ``deadline`` (monotonic).

    Work may also stop counting as running without ending (a worker going idle): it is asked again
    at growing intervals (0.5 ms to 20 ms); a task that ends wakes the wait at once.
    """
    delay = 0.0005
    while True:
        running = [w for w in works if w.running() and (not until_settled or w.settling())]
        remaining = deadline - time.monotonic()
        if not running or remaining <= 0:
            return
        tasks = [w.handle for w in running if isinstance(w.handle, asyncio.Future)]
        if tasks:
            await asyncio.wait(tasks, timeout=min(delay, remaining))
        else:
            await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.02)


def wait_until(work: Any) -> Any:
    """Hand work that must finish to lastword: an awaitable, a future, or a callable.

    The work is tracked and never reported as a leftover. When the instance's CPU is
    request-scoped (``--cpu request``, the platform default) the response waits for it; with
    ``--cpu always`` it may run after the response and is drained on shutdown.
    Returns the task, future or thread that runs the work.
    """
    import inspect
    import threading

    from ._invocation import current

    invocation = current.get()
    if invocation is None:
        raise RuntimeError(
            "lastword.wait_until() was called outside an invocation: call it from the function "
            "(or from work the function started) while it serves a request."
        )
    handle: Any
    if isinstance(work, asyncio.Future):
        handle = work
    elif inspect.isawaitable(work):
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not None:
            handle = asyncio.ensure_future(work)
        elif invocation.loop is not None:
            handle = asyncio.run_coroutine_threadsafe(_awaited(work, invocation), invocation.loop)
        else:
            raise RuntimeError("lastword.wait_until() got an awaitable but no event loop is running")
    elif hasattr(work, "add_done_callback") and hasattr(work, "done"):
        handle = work  # concurrent.futures.Future and look-alikes
    elif callable(work):
        handle = threading.Thread(target=work, name=f"wait_until-{getattr(work, '__name__', 'work')}")
        handle.start()
    else:
        raise TypeError(
            f"lastword.wait_until() takes an awaitable, a future or a callable, not {type(work).__name__}"
        )
    tracked = invocation.find(handle)
    if tracked is None:
        tracked = _handed_off_work(invocation, handle)
        invocation.track(tracked)
    tracked.handed_off = True
    return handle


async def _awaited(work: Any, invocation: Invocation) -> Any:
    """Runs a coroutine handed off from a worker thread; its task is the handed-off work."""
    task = invocation.find(asyncio.current_task())
    if task is not None:
        task.handed_off = True
    return await work


class _HandedOff(Work):
    """Handed-off work that no hook saw start (tracking off, or a future made elsewhere)."""

    kind = "executor job"

    def running(self) -> bool:
        handle = self.handle
        if hasattr(handle, "is_alive"):
            return bool(handle.is_alive())
        return not handle.done()


def _handed_off_work(invocation: Invocation, handle: Any) -> Work:
    import sys

    from ._invocation import capture_stack

    work = _HandedOff(
        invocation, f"wait_until({type(handle).__name__})", capture_stack(sys._getframe(2))
    )
    work.handed_off = True
    work.handle = handle
    return work
