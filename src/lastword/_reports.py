"""What lastword tells the person whose function broke the platform's rule.

Every message says what happened, where (file:line in the user's code), why it matters in
production, and how to fix it.
"""

from __future__ import annotations

import logging
import traceback
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._invocation import Invocation, Work

logger = logging.getLogger("lastword")

# kind -> (what happens to it in production, how to fix it)
CONSEQUENCES: dict[str, tuple[str, str]] = {
    "asyncio task": (
        "On the platform the instance's CPU is taken away once the response is sent, so this task "
        "may never finish, or resume inside a later request",
        "await it (or asyncio.gather it) before returning, or hand it to lastword.wait_until()",
    ),
    "executor job": (
        "On the platform the CPU is taken away once the response is sent, so this job may never "
        "run to the end",
        "call .result() on its future (or await the run_in_executor/to_thread call) before "
        "returning, or hand the future to lastword.wait_until()",
    ),
    "loop callback": (
        "On the platform the CPU is taken away once the response is sent, so this callback may "
        "never run",
        "do the work before responding, or cancel the handle if it is not needed",
    ),
    "thread": (
        "On the platform the CPU is taken away once the response is sent, so this thread is frozen "
        "and its work may never complete",
        "join() it before returning, or hand its work to lastword.wait_until()",
    ),
    "child process": (
        "On the platform the CPU is taken away once the response is sent, and the instance may be "
        "shut down with this process still running",
        "wait() for it (or use subprocess.run / communicate()) before returning",
    ),
    "unawaited coroutine": (
        "A coroutine that is never awaited never runs, on a laptop or in production",
        "put `await` in front of the call (or hand it to lastword.wait_until())",
    ),
}


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


def leftover_message(work: Work, action: str) -> str:
    consequence, fix = CONSEQUENCES.get(work.kind, ("", ""))
    invocation = work.invocation
    head = f"{where(work)}: {work.kind} {work.description} was {action} when invocation {invocation.id} of {invocation.function}() sent its response"
    if work.kind == "unawaited coroutine":
        head = f"{where(work)}: coroutine {work.description} was created by invocation {invocation.id} of {invocation.function}() and never awaited"
    stack = short_stack(work)
    acknowledged = getattr(invocation.lifecycle, "acknowledges", None)
    if acknowledged and work.kind != "unawaited coroutine":
        consequence += (
            f"; for an {acknowledged} function the response is the acknowledgement, so the "
            f"{acknowledged} will not be delivered again and this work may be lost for good"
        )
    return f"{head}.\n{consequence}: {fix}." + (f"\n{stack}" if stack else "")


def report_leftover(work: Work, action: str = "still running") -> None:
    work.reported = True
    logger.warning(leftover_message(work, action), extra={"invocation": work.invocation})


def report_waited(invocation: Invocation, works: list[Work], seconds: float, finished: bool) -> None:
    names = ", ".join(f"{w.kind} {w.description} ({where(w)})" for w in works)
    if finished:
        logger.info(
            f"invocation {invocation.id} of {invocation.function}(): held the response {seconds * 1000:.0f} ms "
            f"until its background work finished (policy 'wait'): {names}. In production, await this "
            "work in the function itself.",
            extra={"invocation": invocation},
        )
    else:
        logger.warning(
            f"invocation {invocation.id} of {invocation.function}(): background work still running at the "
            f"deadline ({invocation.timeout:g} s) after holding the response (policy 'wait'): {names}.",
            extra={"invocation": invocation},
        )


def report_late_finish(work: Work, error: BaseException | None, cancelled: bool = False) -> None:
    """Work of an invocation that already responded ended: say so, against that invocation."""
    invocation = work.invocation
    if error is not None:
        logger.error(
            f"exception from a finished invocation {invocation.id} of {invocation.function}(): "
            f"{work.kind} {work.description} started at {where(work)} raised "
            f"{type(error).__name__} {invocation.duration:.3f} s after the invocation began, after "
            "its response was sent. In production this code would likely not have run at all.",
            exc_info=(type(error), error, error.__traceback__),
            extra={"invocation": invocation},
        )
    elif cancelled or work.cancelled_by_policy:
        return  # reported as cancelled when the response went out
    elif work.reported:
        logger.warning(
            f"{work.kind} {work.description} of finished invocation {invocation.id} "
            f"({invocation.function}()), started at {where(work)}, finished "
            f"{invocation.duration:.3f} s after the invocation began — after its response. In "
            "production it may not have run.",
            extra={"invocation": invocation},
        )


def report_started_after_response(work: Work) -> None:
    invocation = work.invocation
    consequence, fix = CONSEQUENCES.get(work.kind, ("", ""))
    work.reported = True
    if work.kind == "unawaited coroutine":
        message = (
            f"{where(work)}: coroutine {work.description} of invocation {invocation.id} of "
            f"{invocation.function}() was never awaited (found after its response was sent). "
            f"{consequence}: {fix}."
        )
    else:
        message = (
            f"{where(work)}: {work.kind} {work.description} was started by invocation "
            f"{invocation.id} of {invocation.function}() after its response was sent. "
            f"{consequence}: start and finish it before responding ({fix})."
        )
    stack = short_stack(work)
    logger.warning(message + (f"\n{stack}" if stack else ""), extra={"invocation": invocation})


def report_no_response(invocation: Invocation, function_site: str) -> str:
    message = (
        f"{function_site}: {invocation.function}() returned without a response (it returned None or "
        "fell off its end). An HTTP function finishes by sending its HTTP response: return a body "
        "(str, bytes, dict, a Response...) instead of returning nothing."
    )
    logger.error(message, extra={"invocation": invocation})
    return message


def report_returned_awaitable(
    invocation: Invocation, function_site: str, what: str, is_async: bool = False
) -> str:
    kind = "an `async def`" if is_async else "a plain `def`"
    fix = (
        "`await` the call and return its result"
        if is_async
        else "make the function `async def` and `await` the call, or return the response"
    )
    message = (
        f"{function_site}: {invocation.function}() is {kind} but returned {what} — an awaitable "
        "instead of a response. Nothing awaits it: its work never runs, like returning a promise "
        f"instead of responding. Fix: {fix}."
    )
    logger.error(message, extra={"invocation": invocation})
    return message


def report_crash(invocation: Invocation, error: BaseException) -> None:
    from ._loader import user_traceback

    logger.error(
        f"{invocation.function}() raised {type(error).__name__} (invocation {invocation.id}); "
        f"responded 500.\n{user_traceback(error)}".rstrip(),
        extra={"invocation": invocation},
    )


def report_bad_request(invocation: Invocation, message: str, status: int = 400) -> None:
    logger.warning(
        f"{invocation.function}() was not called (invocation {invocation.id}): {message} "
        f"Responded {status}.",
        extra={"invocation": invocation},
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
