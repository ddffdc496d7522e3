"""What lastword tells the person whose function broke the platform's rule.

Every message says what happened, where (file:line in the user's code), why it matters in
production under the settings in effect, and how to fix it; the words are in
:mod:`lastword._report_texts`. Each log record carries the user's file:line as its source location
(``sourceLocation`` in JSON logs), never lastword's own.

:class:`ReportLog` is the lifecycle's observer that logs reports. Repeats of the same report (the
same event, kind of work and line) are summarized: the first in full, then a count, said at the
next repeat once :attr:`ReportLog.interval` has passed, and when the server shuts down. The
per-invocation record (``lastword.testing``, the report header) always has every report in full.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _report_texts as texts
from ._invocation import is_user_file
from ._observe import Observer

if TYPE_CHECKING:
    from ._invocation import Invocation, Work
    from ._report_texts import Event

logger = logging.getLogger("lastword")

_WITH_STACK = frozenset({"left", "cancelled", "not-cancelled", "unawaited", "started-late"})


def where(work: Work) -> str:
    site = work.site
    if site is None:
        return "an unknown place"
    return f"{site.filename}:{site.lineno} in {site.name}"


def short_stack(work: Work) -> str:
    frames = list(reversed(work.user_frames()))  # outermost first, like a traceback
    if not frames:
        return ""
    return "".join(traceback.format_list(frames)).rstrip("\n")


def event_at_response(work: Work) -> Event:
    """What happened to ``work``, left running (or never run) when its response went out."""
    if work.kind == "unawaited coroutine":
        return "unawaited"
    if work.cancelled_by_policy:
        return "cancelled"
    if work.invocation.policy == "cancel":
        return "not-cancelled"
    return "left"


def message(work: Work, event: Event, error: BaseException | None = None) -> tuple[int, str]:
    """(level, text) of the report of ``event`` for ``work``."""
    invocation = work.invocation
    fields = {
        "where": where(work),
        "what": f"{work.kind} {work.description}",
        "kind": work.kind,
        "description": work.description,
        "id": invocation.id,
        "function": invocation.function,
        "timeout": invocation.timeout,
        "seconds": time.monotonic() - invocation.started,
        "error": type(error).__name__ if error is not None else "",
    }
    level, text = texts.compose(event, work.kind, _policy(invocation), invocation.cpu, fields)
    if event in _WITH_STACK:
        stack = short_stack(work)
        if stack:
            text += f"\n{stack}"
    return level, text


def _policy(invocation: Invocation) -> str:
    if invocation.policy == "error" and invocation.outcome != "left-work":
        return "warn"  # the response could not be replaced (it had started streaming)
    return invocation.policy


def level_of(work: Work, event: Event) -> int:
    level: int = texts.lookup(texts.HEADS, (event, work.kind, _policy(work.invocation)))[0]
    return level


def work_location(work: Work) -> dict[str, str] | None:
    site = work.site
    if site is None:
        return None
    return {"file": site.filename, "line": str(site.lineno), "function": site.name}


def error_location(error: BaseException) -> dict[str, str] | None:
    """The innermost frame of the user's code in ``error``'s traceback."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_user_file(code.co_filename):
            found = {"file": code.co_filename, "line": str(tb.tb_lineno), "function": code.co_name}
        tb = tb.tb_next
    return found


def site_location(site: str, function: str) -> dict[str, str] | None:
    """``file:line`` (how the loader names a function's definition) as a source location."""
    filename, _, line = site.rpartition(":")
    if not filename or not line.isdigit():
        return None
    return {"file": filename, "line": line, "function": function}


def _log(
    level: int,
    text: str,
    invocation: Invocation | None,
    location: dict[str, str] | None,
    exc_info: Any = None,
) -> None:
    logger.log(
        level, text, exc_info=exc_info, extra={"invocation": invocation, "source_location": location}
    )


# --- summarizing repeats ---------------------------------------------------------------------


@dataclasses.dataclass
class Repeat:
    """A report said in full once, and its repeats since the last line about it."""

    first: str
    """The invocation whose report was logged in full."""
    since: float
    """When the last line about this report was logged."""
    count: int = 0
    """Repeats since then."""
    latest: str = ""
    about: dict[str, Any] = dataclasses.field(default_factory=dict)
    """How to word the summary (from the latest repeat)."""


class Repeats:
    """Which repeats of a report to log: the first in full, then a count now and then."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.clock = clock
        self._seen: dict[tuple[Any, ...], Repeat] = {}
        self._lock = threading.Lock()

    def note(self, key: tuple[Any, ...], invocation: str, about: dict[str, Any]) -> Repeat | bool:
        """Called for each report: True to log it in full (the first), False to only count it, or
        a :class:`Repeat` whose summary is due now."""
        now = self.clock()
        with self._lock:
            seen = self._seen.get(key)
            if seen is None:
                if len(self._seen) < 10_000:  # bounded: distinct lines of code are few
                    self._seen[key] = Repeat(first=invocation, since=now)
                return True
            seen.count += 1
            seen.latest = invocation
            seen.about = about
            if now - seen.since < self.interval:
                return False
            due = dataclasses.replace(seen)
            seen.count, seen.since = 0, now
            return due

    def pending(self) -> list[Repeat]:
        """The repeats not summarized yet; they count as said."""
        now = self.clock()
        with self._lock:
            due = [dataclasses.replace(s) for s in self._seen.values() if s.count]
            for seen in self._seen.values():
                seen.count, seen.since = 0, now
        return due


def summary(repeat: Repeat, now: float) -> str:
    about = repeat.about
    return texts.SUMMARY.format(
        where=about["where"],
        kind=about["kind"],
        repeated=about["repeated"],
        count=repeat.count,
        s="" if repeat.count == 1 else "s",
        function=about["function"],
        seconds=max(1.0, now - repeat.since),
        latest=repeat.latest,
        first=repeat.first,
    )


class ReportLog(Observer):
    """Logs the reports of one function's invocations, summarizing repeats."""

    interval = 60.0
    """Seconds at least between two summaries of the same report."""

    def __init__(self, interval: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.repeats = Repeats(self.interval if interval is None else interval, clock)
        self._summarized: weakref.WeakSet[Work] = weakref.WeakSet()
        """Leftovers whose report was only counted: their end is not news either."""

    def responded(self, invocation: Invocation) -> None:
        if not invocation.work:
            return
        from ._lifecycle import leftovers_at_response

        left = set(leftovers_at_response(invocation))
        for work in invocation.work:
            if work.kind == "unawaited coroutine" or work.cancelled_by_policy or work in left:
                self.report(work, event_at_response(work))

    def late(self, work: Work, event: Event, error: BaseException | None) -> None:
        if event == "finished-late" and work in self._summarized:
            return
        self.report(work, event, error)

    def waited(self, invocation: Invocation, works: list[Work], seconds: float, finished: bool) -> None:
        names = ", ".join(f"{w.kind} {w.description} ({where(w)})" for w in works)
        location = work_location(works[0]) if works else None
        if finished:
            _log(
                logging.INFO,
                f"invocation {invocation.id} of {invocation.function}(): held the response "
                f"{seconds * 1000:.0f} ms until its background work finished (policy 'wait'): "
                f"{names}. In production, await this work in the function itself.",
                invocation,
                location,
            )
        else:
            _log(
                logging.WARNING,
                f"invocation {invocation.id} of {invocation.function}(): background work still "
                f"running at the deadline ({invocation.timeout:g} s) after holding the response "
                f"(policy 'wait'): {names}.",
                invocation,
                location,
            )

    def closed(self) -> None:
        now = self.repeats.clock()
        for repeat in self.repeats.pending():
            about = repeat.about
            _log(about["level"], summary(repeat, now), about["invocation"], about["location"])

    def report(self, work: Work, event: Event, error: BaseException | None = None) -> None:
        site = work.site
        error_name = type(error).__name__ if error is not None else ""
        key = (event, work.kind, site.filename if site else "", site.lineno if site else 0, error_name)
        invocation = work.invocation
        about: dict[str, Any] = {
            "where": where(work),
            "kind": work.kind,
            "function": invocation.function,
            "repeated": texts.REPEATED.get(event, "happened again").format(error=error_name),
            "invocation": invocation,
            "location": work_location(work),
            "level": level_of(work, event),
        }
        said = self.repeats.note(key, invocation.id, about)
        if said is True:
            level, text = message(work, event, error)
            exc_info = (type(error), error, error.__traceback__) if error is not None else None
            location = (error_location(error) if error is not None else None) or about["location"]
            _log(level, text, invocation, location, exc_info)
            return
        self._summarized.add(work)
        if said is not False:
            _log(about["level"], summary(said, self.repeats.clock()), invocation, about["location"])


# --- reports made by the app (its function could not give a response) -------------------------


def report_leftover(work: Work, action: str = "still running") -> None:
    """Log one leftover's report outside the lifecycle's observers (the app, at shutdown)."""
    event: Event = "shutdown" if "shutdown" in action else event_at_response(work)
    level, text = message(work, event)
    _log(level, text, work.invocation, work_location(work))


def report_no_response(invocation: Invocation, function_site: str) -> str:
    text = (
        f"{function_site}: {invocation.function}() returned without a response (it returned None or "
        "fell off its end). An HTTP function finishes by sending its HTTP response: return a body "
        "(str, bytes, dict, a Response...) instead of returning nothing."
    )
    _log(logging.ERROR, text, invocation, site_location(function_site, invocation.function))
    return text


def report_returned_awaitable(
    invocation: Invocation, function_site: str, what: str, is_async: bool = False
) -> str:
    kind = "an `async def`" if is_async else "a plain `def`"
    fix = (
        "`await` the call and return its result"
        if is_async
        else "make the function `async def` and `await` the call, or return the response"
    )
    text = (
        f"{function_site}: {invocation.function}() is {kind} but returned {what} — an awaitable "
        "instead of a response. Nothing awaits it: its work never runs, like returning a promise "
        f"instead of responding. Fix: {fix}."
    )
    _log(logging.ERROR, text, invocation, site_location(function_site, invocation.function))
    return text


def report_crash(invocation: Invocation, error: BaseException) -> None:
    from ._loader import user_traceback

    _log(
        logging.ERROR,
        f"{invocation.function}() raised {type(error).__name__} (invocation {invocation.id}); "
        f"responded 500.\n{user_traceback(error)}".rstrip(),
        invocation,
        error_location(error),
    )


def report_bad_request(invocation: Invocation, message: str) -> None:
    _log(
        logging.WARNING,
        f"{invocation.function}() was not called (invocation {invocation.id}): {message} "
        "Responded 400.",
        invocation,
        None,
    )
