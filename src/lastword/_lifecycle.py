"""The rule, enforced: what happens to an invocation's work when its response goes out.

:class:`Lifecycle` is owned by the app. It begins invocations, and at completion — the function
returned its response, or a streamed response finished — it settles them: waits for the work
handed to ``wait_until`` (when CPU is request-scoped), then applies the background policy to
whatever is still running.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from . import _reports
from ._config import BackgroundPolicy, CpuAllocation
from ._invocation import Invocation, Work

LIBRARY_GRACE = 0.02
"""Seconds a leftover running only library code may take to go idle before it is judged."""


class Lifecycle:
    """Begins, settles and reports the invocations of one function."""

    def __init__(
        self,
        function: str,
        policy: BackgroundPolicy = "warn",
        cpu: CpuAllocation = "request",
        timeout: float = 300.0,
        observer: Callable[[Invocation], None] | None = None,
        acknowledges: str | None = None,
    ):
        self.function = function
        self.acknowledges = acknowledges
        """What the response acknowledges ("event", ...), for an event or typed function: a
        leftover is then also an acknowledged delivery whose work may be lost."""
        self.policy = policy
        self.cpu = cpu
        self.timeout = timeout
        self.observer = observer
        self.outliving: set[Work] = set()
        """Handed-off work allowed to outlive its response (cpu='always'); drained on shutdown."""

    def begin(self, execution_id: str | None, loop: asyncio.AbstractEventLoop | None) -> Invocation:
        return Invocation(
            execution_id, self.function, self.policy, self.cpu, self.timeout, self, loop
        )

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
        if invocation.unawaited():
            invocation.left = invocation.leftovers()
            invocation.outcome = "unawaited-coroutine"
            return 500
        leftovers = invocation.left = invocation.leftovers()
        if leftovers and any(w.in_library() for w in leftovers):
            # A library's worker busy for a moment (writing the log record the function just
            # emitted, its loop finishing a callback) settles into waiting for its next job: give it
            # that moment before judging it, so the judgement does not depend on the scheduler.
            await wait_for([w for w in leftovers if w.in_library()], time.monotonic() + LIBRARY_GRACE)
            leftovers = invocation.left = invocation.leftovers()
        if not leftovers:
            return None
        policy = invocation.policy
        if policy == "wait":
            started = time.monotonic()
            await wait_for(leftovers, invocation.deadline)
            invocation.waited_for = leftovers
            invocation.left = [w for w in leftovers if w.running()]
            _reports.report_waited(
                invocation, leftovers, time.monotonic() - started, finished=not invocation.left
            )
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
        """The last byte of the response was handed to the server: report what is left."""
        invocation.responded = True
        invocation.status = status
        if invocation.outcome is None:
            invocation.outcome = "ok" if status < 500 else "crash"
        if invocation.work:  # nothing to judge, and nothing allocated, for a plain request
            left = set(leftovers_at_response(invocation))
            for work in invocation.work:
                if work.kind == "unawaited coroutine":
                    _reports.report_leftover(work)
                elif work.cancelled_by_policy:
                    _reports.report_leftover(work, "cancelled (policy 'cancel')")
                elif work in left:
                    _reports.report_leftover(work)
                    work.outlive()
        if self.observer is not None:
            self.observer(invocation)

    async def drain(self, timeout: float) -> list[Work]:
        """Wait (up to ``timeout`` s) for handed-off work that outlived its response."""
        pending = [w for w in self.outliving if w.running()]
        await wait_for(pending, time.monotonic() + timeout)
        self.outliving.clear()
        return [w for w in pending if w.running()]


def leftovers_at_response(invocation: Invocation) -> list[Work]:
    """What was left running when the response went out (not cancelled, not handed off)."""
    if invocation.left is not None:
        return [w for w in invocation.left if w.kind != "unawaited coroutine"]
    return [w for w in invocation.leftovers() if w.kind != "unawaited coroutine"]


async def wait_for(works: list[Work], deadline: float) -> None:
    """Wait until none of ``works`` is running, or until ``deadline`` (monotonic)."""
    delay = 0.0005
    while any(w.running() for w in works):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        running = [w for w in works if w.running()]
        tasks = [w.handle for w in running if isinstance(w.handle, asyncio.Future)]
        if tasks and len(tasks) == len(running):
            # bounded: a task may also stop counting without ending (a library's service going idle)
            await asyncio.wait(tasks, timeout=min(remaining, 0.05))
            continue
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
