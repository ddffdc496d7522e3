"""This process's share of a platform instance: the invocations in flight, how many may be, and
what happens at their deadlines.

- **Concurrency.** At most ``limit`` invocations run at once; up to ``max_queue`` more wait their
  turn in arrival order; beyond that a request is refused (429 with ``Retry-After``). A request
  whose client goes away while it waits is dropped before the function is called.
- **Deadlines.** A watchdog thread (lastword's own) wakes at the earliest deadline. The app's
  ``on_deadline`` answers 504 on the event loop; when the loop itself is stuck (CPU-bound code in an
  async function) the watchdog answers the client directly, interrupts the function, and asks for
  this worker to be replaced.
- **The supervisor** (when there is one) learns of each invocation through a
  :class:`~lastword._serving.channel.WorkerChannel`: begin, response started, end, and when this
  worker has gone idle (so that it can be frozen).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ._errors import LastwordError
from ._frames import frame_of

if TYPE_CHECKING:
    from ._invocation import Invocation


class Overloaded(LastwordError):
    """More requests than the instance runs and queues: refuse this one (429)."""


class Channel(Protocol):
    """What a worker tells its supervisor (see ``_serving.channel``)."""

    def begin(self, invocation: Invocation) -> int: ...
    def started(self, slot: int) -> None: ...
    def answered(self, slot: int) -> None: ...
    def end(self, slot: int) -> None: ...
    def activity(self) -> None: ...
    def recycle(self, reason: str) -> None: ...


class Instance:
    def __init__(
        self,
        limit: int,
        max_queue: int,
        channel: Channel | None = None,
        main_thread: bool = False,
    ):
        self.limit = limit
        self.max_queue = max_queue
        self.channel = channel
        self.running = 0
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        self.in_flight: set[Invocation] = set()
        self.draining = False
        self.on_deadline: Callable[[Invocation], None] | None = None
        """Set by the app: answer an invocation that reached its deadline (on the event loop)."""
        self.on_idle: Callable[[], None] | None = None
        """Set by the server: nothing is in flight any more."""
        self.interrupt: Callable[[Invocation], bool] | None = None
        """Set by the app: stop an invocation's function running on a stuck event loop."""
        self.loop: asyncio.AbstractEventLoop | None = None
        self.loop_thread = 0
        self.main_thread = main_thread
        """The event loop runs on the process's main thread (a worker process), where a signal can
        interrupt code that holds it."""
        self._deadlines: collections.deque[Invocation] = collections.deque()
        """In flight, in order of deadline (one timeout per function: the order they began)."""
        self._lock = threading.Lock()
        self._wake = threading.Event()
        """Set only to stop the watchdog."""
        self._watchdog: threading.Thread | None = None
        self.poll = 1.0
        """Seconds between the watchdog's looks while it has no deadline to sleep until."""
        self._stopped = False

    # --- arriving and leaving -----------------------------------------------------------------

    def enter(
        self, invocation: Invocation, loop: asyncio.AbstractEventLoop
    ) -> asyncio.Future[None] | None:
        """``invocation`` arrives: it is in flight from now on (its deadline runs, the supervisor
        sees it). Returns None when it may run now, or a future (of ``loop``) to await for its
        turn; raises Overloaded, and it is not in flight, when the instance runs and queues all
        it takes."""
        if self.running < self.limit:
            self.running += 1
            turn = None
        elif len(self.waiting) >= self.max_queue:
            raise Overloaded(
                f"{self.running} invocations are running and {len(self.waiting)} waiting, the most "
                f"this instance takes (--concurrency {self.limit})"
            )
        else:
            turn = loop.create_future()
            self.waiting.append(turn)
        self.in_flight.add(invocation)
        if self.channel is not None:
            invocation.slot = self.channel.begin(invocation)
        self._deadlines.append(invocation)  # the watchdog only takes from the other end
        if self._watchdog is None:
            self._start_watchdog(invocation.timeout)
        return turn

    def started(self, invocation: Invocation) -> None:
        if self.channel is not None and invocation.slot >= 0:
            self.channel.started(invocation.slot)

    def exit(self, invocation: Invocation, turn: asyncio.Future[None] | None) -> None:
        """``invocation``, let in with ``turn`` (None: at once), is over: its place passes on."""
        if turn is None and not self.waiting:
            self.running -= 1
        else:
            self._pass_on(turn)
        in_flight = self.in_flight
        in_flight.discard(invocation)
        deadlines = self._deadlines
        with self._lock:  # forget the finished ones at the front (they mostly end in order)
            while deadlines and deadlines[0] not in in_flight:
                deadlines.popleft()
        if self.channel is not None and invocation.slot >= 0:
            self.channel.end(invocation.slot)
            invocation.slot = -1
        if not in_flight and self.on_idle is not None:
            self.on_idle()

    def _pass_on(self, turn: asyncio.Future[None] | None) -> None:
        if turn is not None and (turn.cancelled() or not turn.done()):
            turn.cancel()  # it never got its place (its client went away while it waited)
            with contextlib.suppress(ValueError):
                self.waiting.remove(turn)
            return
        waiting = self.waiting
        while waiting:
            following = waiting.popleft()
            if not following.done():
                following.set_result(None)  # its place is this one's: running stays the same
                return
        self.running -= 1

    def answered(self, invocation: Invocation) -> None:
        """Its deadline was answered (504): the supervisor must not answer it again."""
        if self.channel is not None and invocation.slot >= 0:
            self.channel.answered(invocation.slot)

    # --- deadlines ----------------------------------------------------------------------------

    def _start_watchdog(self, timeout: float) -> None:
        from ._tracking import start_untracked

        self.poll = min(1.0, timeout / 4)
        self.loop = asyncio.get_running_loop()
        self.loop_thread = threading.get_ident()
        self._watchdog = threading.Thread(target=self._watch, name="lastword-deadlines", daemon=True)
        start_untracked(self._watchdog)

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def _watch(self) -> None:
        deadlines = self._deadlines
        while not self._stopped:
            with self._lock:
                while deadlines and (deadlines[0].responded or deadlines[0] not in self.in_flight):
                    deadlines.popleft()
                invocation = deadlines[0] if deadlines else None
            if invocation is None:
                # Nothing in flight: look again in a while. Nobody wakes the watchdog when a
                # request begins (that would cost every request a system call); a deadline is at
                # least four of these periods away when it is first seen.
                self._wake.wait(self.poll)
                continue
            delay = invocation.deadline - time.monotonic()
            if delay > 0:
                # deadlines arrive in order (one timeout per function): sleep until the first
                self._wake.wait(min(delay, self.poll))
                continue
            with self._lock:
                if deadlines and deadlines[0] is invocation:
                    deadlines.popleft()
            self._expire(invocation)

    def _expire(self, invocation: Invocation) -> None:
        loop = self.loop
        handler = self.on_deadline
        if loop is None or handler is None:
            return
        answered = threading.Event()
        invocation.expiry = answered
        try:
            loop.call_soon_threadsafe(handler, invocation)
        except RuntimeError:  # the loop is closed: shutting down
            return
        if answered.wait(0.25):
            return
        # The event loop did not run the handler: it is stuck in the function (CPU-bound Python,
        # or a C call). Answer the client from here, then interrupt the function.
        self._answer_stuck(invocation)

    def _answer_stuck(self, invocation: Invocation) -> None:
        from . import _reports
        from ._serving.wire import plain_response

        frame = frame_of(self.loop_thread)
        cycle = invocation.cycle
        answered = False
        if cycle is not None and not cycle.started and not cycle.complete and cycle.fd >= 0:
            import os

            from ._serving.wire import shutdown_fd

            cycle.hijacked = True
            try:
                os.write(cycle.fd, plain_response(504, _reports.TIMEOUT_BODY))
                answered = True
            except OSError:
                pass
            shutdown_fd(cycle.fd)
        invocation.outcome = "timeout"
        _reports.report_timeout(invocation, frame, stuck_loop=True, answered=answered)
        self.answered(invocation)
        if self.interrupt is not None and self.main_thread and self.interrupt(invocation):
            stop = time.monotonic() + 1.0
            while invocation in self.in_flight and time.monotonic() < stop:
                time.sleep(0.01)
            if invocation not in self.in_flight:
                return  # interrupted: the worker goes on
        if self.channel is not None:
            self.channel.recycle(f"invocation {invocation.id} could not be stopped at its deadline")
