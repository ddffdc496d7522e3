"""The invocation: one request to the user's function, from arrival to its last word.

An :class:`Invocation` knows its id, when it started, its deadline, the background work it started
(:class:`Work`, filled in by :mod:`lastword._tracking`) and its outcome. Everything that reports on
the lifecycle speaks in terms of it.
"""

from __future__ import annotations

import contextvars
import os
import random
import sys
import sysconfig
import threading
import time
import traceback
from types import FrameType
from typing import Any, Literal

from ._config import BackgroundPolicy, CpuAllocation

current: contextvars.ContextVar[Invocation | None] = contextvars.ContextVar(
    "lastword_invocation", default=None
)
"""The invocation whose code is running in this context (task, thread)."""

current_work: contextvars.ContextVar[Work | None] = contextvars.ContextVar(
    "lastword_work", default=None
)
"""The tracked work (task, thread, job, callback) running in this context, if any."""

Outcome = Literal[
    "ok",  # responded, nothing left running (or policy dealt with it)
    "crash",  # the function raised
    "no-response",  # returned None
    "returned-awaitable",  # a sync function returned a coroutine / awaitable
    "unawaited-coroutine",  # created a coroutine and never awaited it
    "left-work",  # policy 'error' and work was left running
    "bad-request",  # the request could not become the function's arguments: not called (400)
    "too-large",  # the request body is over the limit: not called (413)
    "timeout",  # still running at its deadline: 504
    "client-gone",  # the client went away before the function was called: not called
    "shutdown",  # still running when the grace period after SIGTERM ran out: 503
]

WorkKind = Literal[
    "asyncio task",
    "executor job",
    "loop callback",
    "thread",
    "child process",
    "unawaited coroutine",
]


# --- where code comes from -------------------------------------------------------------------

LASTWORD_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_LIBRARY_DIRS = tuple(
    sorted(
        {
            os.path.abspath(p) + os.sep
            for key in ("stdlib", "platstdlib", "purelib", "platlib", "scripts")
            if (p := sysconfig.get_paths().get(key))
        }
        | {os.path.abspath(p) + os.sep for p in sys.path if "-packages" in p},
        key=len,
        reverse=True,
    )
)
_user_file_cache: dict[str, bool] = {}
_vendored_dirs: tuple[str, ...] = ()
"""Folders inside the function's folder that are on ``sys.path`` themselves (see :func:`note_source_folder`)."""


def is_user_file(filename: str) -> bool:
    """True for the user's own source files: not lastword, not the standard library, not installed
    (nor vendored into the function's folder)."""
    known = _user_file_cache.get(filename)
    if known is None:
        known = not (
            filename.startswith("<")
            or filename.startswith(LASTWORD_DIR)
            or filename.startswith(_LIBRARY_DIRS)
            or (_vendored_dirs and filename.startswith(_vendored_dirs))
        )
        _user_file_cache[filename] = known
    return known


def note_source_folder(folder: str) -> None:
    """The function is loaded from ``folder``: a folder inside it that is on ``sys.path`` itself
    (``PYTHONPATH=lib``, where ``pip install -t lib`` vendors the dependencies) is an import root of
    its own, whose modules are imported by their own names (``google.cloud...``, not
    ``lib.google.cloud...``): installed libraries, like site-packages, not the function's code."""
    global _vendored_dirs
    _source_folders.add(os.path.abspath(folder) + os.sep)
    on_path = {os.path.abspath(p) + os.sep for p in sys.path if p}
    _vendored_dirs = tuple(
        sorted(
            (
                p
                for p in on_path - _source_folders
                if any(p.startswith(root) for root in _source_folders)
            ),
            key=len,
            reverse=True,
        )
    )
    _user_file_cache.clear()


_source_folders: set[str] = set()
"""The folders functions were loaded from in this process (one, except in a test process)."""


RawFrame = tuple[str, int, str, None]
"""(filename, line number, function, source line not read yet): a frame, cheap to keep."""

STACK_LIMIT = 64
MAX_LATE_WORK = 1000
"""Work tracked for one invocation after its response, at most (more is not attributed)."""


def capture_stack(frame: FrameType | None, limit: int = STACK_LIMIT) -> list[RawFrame]:
    """The stack from ``frame`` outwards (innermost first), without reading source lines."""
    frames: list[RawFrame] = []
    while frame is not None and len(frames) < limit:
        code = frame.f_code
        frames.append((code.co_filename, frame.f_lineno or 0, code.co_name, None))
        frame = frame.f_back
    return frames


# --- work -----------------------------------------------------------------------------------


class Work:
    """A piece of background work an invocation started (a task, a thread, a process, ...)."""

    kind: WorkKind
    handle: Any = None
    """The task, future, thread or process this work is."""
    handed_off = False
    """Registered with ``lastword.wait_until``: tracked, never reported as a leftover."""
    cancelled_by_policy = False
    """Cancelled by the 'cancel' policy when the response went out."""
    service = False
    """Judged a library's long-lived infrastructure (an idle worker a library started on first
    use), not the invocation's work: never a leftover, and what it starts later is not attributed."""
    detached = False
    """Started after the response by a service (or past MAX_LATE_WORK): not tracked, not logged."""

    def __init__(
        self,
        invocation: Invocation,
        description: str,
        stack: list[RawFrame] | traceback.StackSummary,
    ):
        self.invocation = invocation
        self.description = description
        self._stack = stack  # innermost first
        self.reported = False
        self.started = time.monotonic()
        self.parent = current_work.get()
        """The work this one was started from (a thread, a task...), None from the function itself."""

    @property
    def stack(self) -> traceback.StackSummary:
        """Where the work was started, innermost frame first."""
        stack = self._stack
        if not isinstance(stack, traceback.StackSummary):
            stack = self._stack = traceback.StackSummary.from_list(stack)
        return stack

    @stack.setter
    def stack(self, stack: list[RawFrame] | traceback.StackSummary) -> None:
        self._stack = stack

    # what the policies need
    def running(self) -> bool:
        raise NotImplementedError

    def cancel(self) -> bool:
        """Stop the work if it can be stopped; True if it was."""
        return False

    def abandon(self) -> None:
        """The instance is shutting down with this work still running: end what can be ended
        (a task is cancelled, a child process killed); a thread ends with the process."""
        self.cancel()

    def state(self) -> Literal["idle", "waiting", "running"]:
        """What it is doing (threads and tasks; see :mod:`lastword._tracking._services`): other
        kinds of work are never idle."""
        return "waiting"

    def settling(self) -> bool:
        """It may change its state in a moment (finish, or go back to waiting for its next item):
        the lifecycle gives it that moment before judging it."""
        return False

    def executing(self) -> bool:
        """It is executing code (a thread of this process): all it needs to move on is the CPU."""
        return False

    def cpu_seconds(self) -> float | None:
        """CPU time it has used (a thread of this process), or None where that is not known."""
        return None

    def entry(self) -> str:
        """What it runs (a thread's target, a task's coroutine), to tell services apart."""
        return ""

    def outlive(self) -> None:
        """The response went out with this work still running: keep an eye on it until it ends."""

    # what the report needs
    @property
    def site(self) -> traceback.FrameSummary | None:
        """The innermost frame of the user's code that started this work.

        Work a library started from other work (``asyncio.to_thread`` in a task, say) has no frame
        of the user's own: its site is that of the work it was started from.
        """
        for frame in self.stack:
            if is_user_file(frame.filename):
                return frame
        if self.parent is not None:
            site = self.parent.site
            if site is not None:
                return site
        for frame in self.stack:
            if not frame.filename.startswith(LASTWORD_DIR):
                return frame
        return None

    def user_frames(self, limit: int = 4) -> list[traceback.FrameSummary]:
        """The user's frames that led to this work, innermost first, through the work it came from."""
        frames = [f for f in self.stack if is_user_file(f.filename)][:limit]
        if len(frames) < limit and self.parent is not None:
            frames += self.parent.user_frames(limit - len(frames))
        if frames:
            return frames
        site = self.site
        return [site] if site is not None else []

    def finished(self, error: BaseException | None, cancelled: bool = False) -> None:
        """Called when the work ends; after the response, the lifecycle is told."""
        if self.detached:
            return
        invocation = self.invocation
        if invocation.responded and invocation.lifecycle is not None:
            invocation.lifecycle.finished_late(self, error, cancelled)


# --- the invocation --------------------------------------------------------------------------


class Invocation:
    """One call of the user's function: id, start, deadline, the work it started, its outcome."""

    __slots__ = (
        "id", "function", "policy", "cpu", "timeout", "started", "deadline", "outcome", "status",
        "responded", "work", "waited_for", "cancelled", "left", "lifecycle", "loop", "trace",
        "streamed", "scope", "ended", "sent", "slot", "cycle", "task", "thread", "expiry",
        "client_gone",
    )

    def __init__(
        self,
        execution_id: str | None,
        function: str,
        policy: BackgroundPolicy,
        cpu: CpuAllocation,
        timeout: float,
        lifecycle: Any = None,
        loop: Any = None,
    ):
        self.id = (
            execution_id if execution_id is not None else f"{_ids.getrandbits(48):012x}"
        )
        """The execution id: the ``Function-Execution-Id`` request header, or a new one (12
        random hex digits, like the ids functions-framework makes)."""
        self.function = function
        self.policy = policy
        self.cpu = cpu
        self.timeout = timeout
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        """Monotonic time by which the invocation must be over."""
        self.outcome: Outcome | None = None
        self.status: int | None = None
        self.responded = False
        """The response has been sent: from now on, nothing of this invocation should run."""
        self.work: list[Work] | None = None
        """Everything tracked; ``None`` until the first piece, so a plain request allocates nothing."""
        self.waited_for: list[Work] | None = None
        """Leftovers the 'wait' policy held the response for."""
        self.cancelled: list[Work] | None = None
        """Leftovers the 'cancel' policy cancelled."""
        self.left: list[Work] | None = None
        """What was still running once the policy was applied: judged once, when settled, so that
        the log and the report agree even if a library's worker goes idle a moment later."""
        self.lifecycle = lifecycle
        self.loop = loop
        self.trace: tuple[str, str | None] | None = None
        """(trace id, span id) from the request's trace header, for log correlation."""
        self.streamed = False
        """The response went out in several parts (its head before its last body bytes)."""
        self.scope: Any = None
        """The request's ASGI scope (method, path, headers, client), for the request log."""
        self.ended: float | None = None
        """Monotonic time its response was sent."""
        self.sent = 0
        """Bytes of response body sent."""
        # where it is being served (set by the app and the invoker, read at its deadline)
        self.slot = -1
        """Its slot in the table the supervisor reads, or -1."""
        self.cycle: Any = None
        """The server's request cycle (its connection), when served by lastword's own server."""
        self.task: Any = None
        """The asyncio task serving it."""
        self.thread = 0
        """The pool thread running a sync function (its ident), while it runs."""
        self.expiry: Any = None
        """Set when its deadline is being handled (a threading.Event the handler sets)."""
        self.client_gone = False
        """The client went away before the response was complete."""

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    @property
    def duration(self) -> float:
        """Seconds from its start to its response (to now, until it responded)."""
        return (self.ended if self.ended is not None else time.monotonic()) - self.started

    def track(self, work: Work) -> None:
        if self.responded and not work.handed_off:
            parent = work.parent
            if (parent is not None and parent.service) or len(self.work or ()) >= MAX_LATE_WORK:
                # A library's service works for every invocation, not this finished one; and a
                # finished invocation must not grow without bound (a leftover loop that never ends).
                work.detached = True
                return
        if self.work is None:
            with _FIRST_WORK:  # two threads of one invocation may start its first work at once
                if self.work is None:
                    self.work = []
        self.work.append(work)
        if self.responded and not work.handed_off:
            work.reported = True
            if self.lifecycle is not None:
                self.lifecycle.late(work, "started-late")

    def find(self, handle: Any) -> Work | None:
        """The tracked work whose task, future, thread or process is ``handle``."""
        for work in self.work or ():
            if work.handle is handle:
                return work
        return None

    def leftovers(self) -> list[Work]:
        """Work still running (or never run) that was not handed to ``wait_until``."""
        if not self.work:
            return []
        return [w for w in self.work if not w.handed_off and w.running()]

    def handed_off(self) -> list[Work]:
        return [w for w in self.work or () if w.handed_off]

    def unawaited(self) -> list[Work]:
        return [w for w in self.work or () if w.kind == "unawaited coroutine"]

    def __repr__(self) -> str:
        return f"<Invocation {self.id} of {self.function} outcome={self.outcome} status={self.status}>"


_FIRST_WORK = threading.Lock()


_ids = random.Random()  # its own: never moves the user's random sequence
"""Execution ids need to be unique, not secret: seeded once from the OS, no system call per id."""

