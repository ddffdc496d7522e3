"""What each report says, as data: what happened, why it matters in production under the settings
in effect, and how to fix it.

A report is composed from three tables, each keyed by a tuple in which ``"*"`` matches anything
and the most specific row wins:

- :data:`HEADS` (event, kind, policy): what happened, and what lastword did about it; its level;
- :data:`CONSEQUENCES` (event, kind, cpu): what that means on the platform;
- :data:`FIXES` (event, kind): what to change.

A new situation (another policy, another CPU setting, freezing) is new rows, not new code.
No I/O here: :mod:`lastword._reports` logs what :func:`compose` returns.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from itertools import combinations
from typing import Any, Literal

Event = Literal[
    "left",  # still running when the response went out
    "cancelled",  # cancelled by policy 'cancel' before the response
    "not-cancelled",  # policy 'cancel', but it cannot be cancelled
    "unawaited",  # a coroutine created and never awaited
    "started-late",  # started by the invocation after its response
    "finished-late",  # a leftover that ended after the response
    "raised-late",  # a leftover that raised after the response
    "shutdown",  # handed to wait_until and still running when the server stopped
]
ANY = "*"
WARNING, ERROR = logging.WARNING, logging.ERROR

HEADS: Mapping[tuple[str, str, str], tuple[int, str]] = {
    ("left", ANY, ANY): (
        WARNING,
        "{where}: {what} was still running when invocation {id} of {function}() sent its response.",
    ),
    ("left", ANY, "error"): (
        ERROR,
        "{where}: {what} was still running when {function}() returned, so invocation {id} was "
        "answered with a 500 instead of its response (policy 'error').",
    ),
    ("left", ANY, "wait"): (
        WARNING,
        "{where}: {what} was still running at the deadline ({timeout:g} s) when invocation {id} "
        "of {function}() sent its response, after holding it (policy 'wait').",
    ),
    ("cancelled", ANY, ANY): (
        WARNING,
        "{where}: {what} was still running when {function}() returned, and was cancelled before "
        "invocation {id} sent its response (policy 'cancel'): the rest of its work was not done.",
    ),
    ("not-cancelled", ANY, ANY): (
        WARNING,
        "{where}: {what} was still running when invocation {id} of {function}() sent its response, "
        "and could not be cancelled (policy 'cancel'): {cannot_cancel} It goes on running here.",
    ),
    ("unawaited", ANY, ANY): (
        ERROR,
        "{where}: coroutine {description} was created by invocation {id} of {function}() and never "
        "awaited, so the response was replaced by a 500.",
    ),
    ("started-late", ANY, ANY): (
        WARNING,
        "{where}: {what} was started by invocation {id} of {function}() after its response was sent.",
    ),
    ("started-late", "unawaited coroutine", ANY): (
        WARNING,
        "{where}: coroutine {description} of invocation {id} of {function}() was never awaited "
        "(found after its response was sent).",
    ),
    ("finished-late", ANY, ANY): (
        WARNING,
        "{what} of finished invocation {id} ({function}()), started at {where}, finished "
        "{seconds:.3f} s after the invocation began — after its response.",
    ),
    ("raised-late", ANY, ANY): (
        ERROR,
        "exception from a finished invocation {id} of {function}(): {what} started at {where} "
        "raised {error} {seconds:.3f} s after the invocation began, after its response was sent.",
    ),
    ("shutdown", ANY, ANY): (
        WARNING,
        "{where}: {what}, handed to lastword.wait_until() by invocation {id} of {function}(), was "
        "still running when the server shut down, and was cut off.",
    ),
}

_TAKEN = "On the platform the instance's CPU is taken away once the response is sent"
CONSEQUENCES: Mapping[tuple[str, str, str], str] = {
    (ANY, "asyncio task", "request"): f"{_TAKEN}, so this task may never finish, or resume inside a later request",
    (ANY, "executor job", "request"): f"{_TAKEN}, so this job may never run to the end",
    (ANY, "loop callback", "request"): f"{_TAKEN}, so this callback may never run",
    (ANY, "thread", "request"): f"{_TAKEN}, so this thread is frozen and its work may never complete",
    (ANY, "child process", "request"): f"{_TAKEN}, and the instance may be shut down with this process still running",
    (ANY, ANY, "always"): (
        "With CPU always allocated (--cpu always) this {noun} goes on running after the response, "
        "and is billed, but nothing waits for it: the platform may shut the instance down whenever "
        "it has no requests (scale-down), and the {noun} is lost then"
    ),
    (ANY, "unawaited coroutine", ANY): "A coroutine that is never awaited never runs, on a laptop or in production",
    ("finished-late", ANY, "request"): "In production it may not have run",
    ("finished-late", ANY, "always"): (
        "In production it ran after the response, billed, and would have been lost had the "
        "instance been scaled down first"
    ),
    ("raised-late", ANY, "request"): "In production this code would likely not have run at all",
    ("raised-late", ANY, "always"): "In production it runs after the response, where only this log sees its error",
    ("shutdown", ANY, ANY): (
        "The platform gives an instance a few seconds after SIGTERM before it stops it: work that "
        "must survive does not belong in the request: publish it to a task queue (Cloud Tasks, "
        "Pub/Sub)"
    ),
}

FIXES: Mapping[tuple[str, str], str] = {
    (ANY, "asyncio task"): "await it (or asyncio.gather it) before returning, or hand it to lastword.wait_until()",
    (ANY, "executor job"): (
        "call .result() on its future (or await the run_in_executor/to_thread call) before "
        "returning, or hand the future to lastword.wait_until()"
    ),
    (ANY, "loop callback"): "do the work before responding, or cancel the handle if it is not needed",
    (ANY, "thread"): "join() it before returning, or hand its work to lastword.wait_until()",
    (ANY, "child process"): "wait() for it (or use subprocess.run / communicate()) before returning",
    (ANY, "unawaited coroutine"): "put `await` in front of the call (or hand it to lastword.wait_until())",
    ("started-late", ANY): "start and finish it before responding ({fix})",
    ("started-late", "unawaited coroutine"): "{fix}",
    ("finished-late", ANY): "",
    ("raised-late", ANY): "",
    ("shutdown", ANY): "",
}

ACKNOWLEDGED = (
    " For an {what} function the response is the acknowledgement: the {what} will not be "
    "delivered again, so this work may be lost for good."
)
"""Added to a leftover's report when the function's response acknowledges an event."""

NOUNS: Mapping[str, str] = {
    "asyncio task": "task",
    "executor job": "job",
    "loop callback": "callback",
    "thread": "thread",
    "child process": "process",
    "unawaited coroutine": "coroutine",
}

CANNOT_CANCEL: Mapping[str, str] = {
    "thread": "Python cannot stop a thread from outside.",
    "child process": "lastword does not kill child processes.",
    "executor job": "a job that has started running cannot be cancelled.",
    ANY: "it did not accept the cancellation.",
}

REPEATED: Mapping[str, str] = {
    "left": "was left running again",
    "cancelled": "was cancelled again",
    "not-cancelled": "was left running again (it cannot be cancelled)",
    "unawaited": "was never awaited again",
    "started-late": "was started after the response again",
    "raised-late": "raised {error} after the response again",
    "shutdown": "was cut off at shutdown again",
}
"""How a summary of repeats of the same report says what happened again."""

SUMMARY = (
    "{where}: {kind} {repeated} by {count} more invocation{s} of {function}() in the last "
    "{seconds:.0f} s (latest: {latest}); the first, invocation {first}, was reported in full above."
)


def lookup(table: Mapping[Any, Any], key: tuple[str, ...]) -> Any:
    """The row for ``key``: exact, else with one element as ``"*"``, then two... (left to right)."""
    size = len(key)
    for wild in range(size + 1):
        for positions in combinations(reversed(range(size)), wild):
            candidate = tuple(ANY if i in positions else part for i, part in enumerate(key))
            if candidate in table:
                return table[candidate]
    raise KeyError(key)


def compose(event: str, kind: str, policy: str, cpu: str, fields: dict[str, Any]) -> tuple[int, str]:
    """(level, message) of a report: head, then what it means on the platform and the fix."""
    noun = NOUNS.get(kind, "work")
    values = {
        "noun": noun,
        "cannot_cancel": CANNOT_CANCEL.get(kind, CANNOT_CANCEL[ANY]),
        **fields,
    }
    level, head = lookup(HEADS, (event, kind, policy))
    text = head.format(**values)
    consequence = lookup(CONSEQUENCES, (event, kind, cpu)).format(**values)
    fix = lookup(FIXES, (event, kind)).format(fix=lookup(FIXES, (ANY, kind)), **values)
    if consequence and fix:
        text += f"\n{consequence}: {fix}."
    elif consequence:
        text += f" {consequence}."
    return level, text
