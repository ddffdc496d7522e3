"""The shape of the checker's knowledge about library calls, and the index that looks it up.

The knowledge itself is data, in ``_known.py``: one row per API, saying which calls it
matches (qualified function or class names, or method names on receivers of some type or
name) and what the call does to work (starts a thread, returns a future, waits...). The
flow analysis applies the effect; adding a library is adding rows.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass


class Effect(enum.Enum):
    """What a known call does, as far as work that can outlive the response goes."""

    RUN = "runs its awaitable arguments to completion"
    TASK = "schedules its coroutine argument as a task"
    ENSURE_FUTURE = "schedules a coroutine as a task; returns a future argument as it is"
    GATHER = "gathers its awaitables into one future (awaiting it awaits them all)"
    WAIT_ASYNC = "wraps its awaitables; awaiting the result waits for them"
    WAIT_FOR = "waits for one awaitable with a timeout, and cancels it when the time is up"
    WAIT_SYNC = "blocks until its futures or processes are done"
    SUBMIT = "runs a callable on the receiver (an executor or pool) and returns its future"
    SUBMIT_MAP = "maps a callable over an iterable on the receiver; iterating waits"
    FUTURE = "returns a future for work that runs elsewhere"
    THREAD_FUTURE = "returns a future for work running in a thread (cancelling does not stop it)"
    WRAP_FUTURE = "wraps a concurrent future in an awaitable one"
    CALLBACK = "schedules a callback on the event loop, to run later"
    CALLBACK_SOON = "schedules a callback on the event loop, to run at the next await"
    THREAD = "creates a thread; .start() runs it"
    THREAD_RUNNING = "starts a thread that runs until it is stopped or flushed"
    PROCESS = "creates a child process; .start() runs it"
    PROCESS_RUNNING = "starts a child process"
    SPAWN = "starts a child process and waits for it, unless the mode is P_NOWAIT"
    SHELL = "runs a shell command and waits, unless the command line ends with `&`"
    PROCESS_COROUTINE = "a coroutine that starts a child process"
    COROUTINE = "returns a coroutine: nothing runs until it is awaited"
    THREAD_COROUTINE = "returns a coroutine that runs a callable in a thread"
    HOLD = "the receiver takes the work passed to it: finishing the receiver finishes it"
    SHUTDOWN = "waits for the receiver's (an executor's) submitted work"
    NEVER_RETURNS = "never returns (exits or raises)"
    AFTER_RESPONSE = "attaches work that runs after the response is sent"
    ON_CLOSE = "attaches a callback that runs when the response is closed, after it was sent"
    BEFORE_RESPONSE = "attaches a callback that runs before the response is sent"
    SYNC = "does its work before returning: nothing is left running"
    QUEUE = (
        "hands work to a worker thread the library started (on first use): it is done after "
        "the response unless flushed"
    )
    FLUSH = "waits until what was handed to the library's worker thread (QUEUE rows naming it) is done"


@dataclass(frozen=True)
class Known:
    """One row of the table: which calls it matches and what they do.

    A row matches a call by ``names`` (qualified names of functions or classes, through
    the module's imports: ``asyncio.create_task``, ``threading.Thread``) or by ``methods``
    (method names). A method row with ``on`` (type suffixes of the receiver, from the
    constructor or annotation the checker sees: ``"Executor"`` matches
    ``concurrent.futures.ThreadPoolExecutor``) or ``hints`` (substrings of the receiver's
    name: ``"publisher"``) matches only such receivers; without either it matches any.
    """

    effect: Effect
    names: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    on: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    needs_args: bool = False
    timeout_at: int | None = None
    """For a wait: the position of its ``timeout`` argument, if it can be passed positionally
    (it is always accepted as a keyword)."""
    on_work: bool = True
    """The row also applies when the receiver is started work itself (``loop.create_task``
    on any loop); rows for specific receivers never do."""
    fix: str = ""
    """How to finish the work this API starts, when the rule's own advice does not fit
    (added to the message)."""
    queues: tuple[str, ...] = ()
    """For an object with a worker thread created at module level (a batch span processor,
    a logging handler with a background transport): the methods (of any receiver) whose
    calls during a request hand it work that it does after the response..."""
    queues_on: tuple[str, ...] = ()
    """... on receivers whose name contains one of these (lower case; empty: any) ..."""
    flushes: tuple[str, ...] = ()
    """... and the methods (of any receiver) that push that work out before returning. For a
    QUEUE row: the names of the calls (FLUSH rows) that do."""
    source: str = ""
    """Where the behaviour is documented (for whoever maintains the row)."""

    @property
    def conditional(self) -> bool:
        return bool(self.on or self.hints)


@dataclass(frozen=True)
class Step:
    """A method of a library type that returns another library type (for call chains:
    ``db.collection("c").document("d").set(...)``)."""

    on: tuple[str, ...]
    methods: tuple[str, ...]
    gives: str


class WorkOp(enum.Enum):
    """What a method called on tracked work (a thread, a future, a task...) does to it."""

    START = "starts it"
    SETTLE = "waits for it, collects it or stops it"
    CHECK = "asks whether it is still running"
    VIEW = "gives a view of a collection of it"
    KEEP = "stores more work in a collection"


@dataclass(frozen=True)
class WorkMethod:
    op: WorkOp
    timeout_at: int | None = None
    """Position of a ``timeout`` argument (also accepted as a keyword), if the method has one."""
    raises: bool = True
    """On timeout the method raises (``result``) rather than returning quietly (``join``)."""


class Table:
    """The rows indexed by qualified name and by method name."""

    def __init__(self, rows: tuple[Known, ...], steps: tuple[Step, ...]) -> None:
        self.rows = rows
        self.by_name: dict[str, Known] = {}
        self.by_method: dict[str, tuple[Known, ...]] = {}
        for row in rows:
            for name in row.names:
                if name in self.by_name:
                    raise ValueError(f"{name} is in two rows of the known-call table")
                self.by_name[name] = row
            for method in row.methods:
                found = self.by_method.get(method, ())
                # Rows for specific receivers are tried before rows for any receiver.
                self.by_method[method] = tuple(
                    sorted((*found, row), key=lambda r: not r.conditional)
                )
        self.steps: dict[str, tuple[Step, ...]] = {}
        for step in steps:
            for method in step.methods:
                self.steps[method] = (*self.steps.get(method, ()), step)

    def function(self, qual: str) -> Known | None:
        return self.by_name.get(qual)

    def method(
        self, method: str, owner: Callable[[], str], name: str, tracked: bool
    ) -> Known | None:
        """The row for ``receiver.method(...)``: a row for the receiver's type, else one for
        its name, else one for any receiver. ``owner()`` gives the receiver's type (computed
        only if a row needs it); ``tracked``: the receiver is work itself, for which only
        rows that match any receiver apply."""
        rows = self.by_method.get(method, ())
        if not tracked:
            for row in rows:
                if row.on and owner().endswith(row.on):
                    return row
            for row in rows:
                if row.hints and any(hint in name for hint in row.hints):
                    return row
        for row in rows:
            if not row.conditional and (row.on_work or not tracked):
                return row
        return None

    def has_method(self, method: str) -> bool:
        return method in self.by_method

    def step(self, owner: str, method: str) -> str:
        """The type returned by ``owner.method(...)``, or ""."""
        for step in self.steps.get(method, ()):
            if owner.endswith(step.on):
                return step.gives
        return ""
