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
from types import FrameType
from typing import TYPE_CHECKING, Any

from . import _report_texts as texts
from ._invocation import is_user_file
from ._observe import Observer

if TYPE_CHECKING:
    from ._invocation import Invocation, Work
    from ._report_texts import Event

logger = logging.getLogger("lastword")

_ACKNOWLEDGED = frozenset({"left", "not-cancelled", "started-late"})
"""Reports of work an event function left: its event was acknowledged all the same."""
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
    acknowledged = getattr(invocation.lifecycle, "acknowledges", None)
    if acknowledged and event in _ACKNOWLEDGED and work.kind != "unawaited coroutine":
        text += texts.ACKNOWLEDGED.format(what=acknowledged)
    if event in ("finished-late", "raised-late"):
        text += frozen_note(work)
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


def frozen_note(work: Work) -> str:
    """What freezing did to work that outlived its response (``--cpu request`` under the
    supervisor): when it was stopped, and in whose time it ran again."""
    invocation = work.invocation
    lifecycle = invocation.lifecycle
    found = lifecycle.frozen_after(invocation) if lifecycle is not None else None
    if found is None:
        return ""
    after, woken_by = found
    return (
        f" It was frozen {after:.3f} s after that response, when the instance went idle (as the "
        f"platform takes the CPU away), and resumed during invocation {woken_by}, another "
        "request's time."
    )


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


def report_bad_request(invocation: Invocation, message: str, status: int = 400) -> None:
    _log(
        logging.WARNING,
        f"{invocation.function}() was not called (invocation {invocation.id}): {message} "
        f"Responded {status}.",
        invocation,
        None,
    )


TIMEOUT_BODY = "Gateway Timeout: the function did not respond before its deadline."


def format_frames(frames: list[FrameType]) -> str:
    """A stack (outermost first) as a traceback, only the user's frames when it has any."""
    from ._invocation import is_user_file

    summary = traceback.StackSummary.extract(((f, f.f_lineno) for f in frames), limit=None)
    users = [f for f in summary if is_user_file(f.filename)]
    shown = traceback.StackSummary.from_list(users or list(summary)[-4:])
    return "".join(shown.format()).rstrip("\n")


def stack_of(frame: FrameType | None) -> list[FrameType]:
    frames: list[FrameType] = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    frames.reverse()
    return frames


def report_timeout(
    invocation: Invocation,
    frames: list[FrameType] | FrameType | None,
    stuck_loop: bool = False,
    answered: bool = True,
    stopping: str = "",
) -> None:
    """The invocation reached its deadline: where its function was, and what was done about it."""
    if not isinstance(frames, list):
        frames = stack_of(frames)
    where_now = format_frames(frames) if frames else "(its stack could not be read)"
    how = (
        "The event loop itself was stuck in the function (CPU-bound code or a blocking call in an "
        "`async def`), so no other request of this worker could run meanwhile. "
        if stuck_loop
        else ""
    )
    told = "responded 504" if answered else "the client could not be answered (its connection is gone)"
    logger.error(
        f"{invocation.function}() was still running at its deadline ({invocation.timeout:g} s, "
        f"--timeout) — invocation {invocation.id}; {told}. {how}{stopping}"
        "On the platform the client gets 504 too while the code runs on, billed. Make it finish "
        "sooner, or raise --timeout (Cloud Run allows up to 3600 s).\n"
        f"Where it was at the deadline:\n{where_now}",
        extra={"invocation": invocation},
    )


def report_client_gone(invocation: Invocation, called: bool) -> None:
    if called:
        text = (
            f"the client went away while {invocation.function}() was running (invocation "
            f"{invocation.id}); it runs to its end, and its response is dropped."
        )
    else:
        text = (
            f"the client went away before {invocation.function}() was called (invocation "
            f"{invocation.id}): it was not called."
        )
    logger.info(text, extra={"invocation": invocation})


def report_overloaded(function: str, reason: str) -> None:
    logger.warning(
        f"refused a request to {function}() with 429: {reason}. Raise --concurrency, or add workers "
        "or instances.",
    )


def report_abandoned(work: Work) -> None:
    """Shutdown, and this work is still running: where production loses it."""
    invocation = work.invocation
    stack = short_stack(work)
    logger.warning(
        f"{where(work)}: abandoned at shutdown: {work.kind} {work.description}, started by "
        f"invocation {invocation.id} of {invocation.function}(), was still running when the "
        "instance stopped. On the platform this is where it is lost: an instance is shut down "
        "(SIGTERM, then SIGKILL 10 s later) whenever it scales in. Finish it before responding."
        + (f"\n{stack}" if stack else ""),
        extra={"invocation": invocation},
    )


def report_cut_short(invocation: Invocation, grace: float, answered: bool) -> None:
    told = "responded 503" if answered else "its response had started and was cut off"
    logger.warning(
        f"invocation {invocation.id} of {invocation.function}() was still running when the "
        f"grace period after SIGTERM ({grace:g} s, --grace) ran out; {told}.",
        extra={"invocation": invocation},
    )
