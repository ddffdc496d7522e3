"""Work attached to a response to run after it: Flask ``call_on_close`` callbacks and Starlette
``BackgroundTask(s)``.

The frameworks run these once the response has been sent — exactly the work the platform may
never execute. lastword starts them as the invocation's tracked work, described by the user's
callback and the line that defines it, so the lifecycle reports them like any other leftover.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
import traceback
from collections.abc import Callable
from typing import Any

from ._invocation import Invocation, current


def start_after_response(invocation: Invocation, callbacks: list[Callable[[], Any]]) -> None:
    """Flask ``call_on_close`` callbacks: run them on a thread of the invocation, now."""

    def run_callbacks() -> None:
        for callback in callbacks:
            callback()

    thread = threading.Thread(target=run_callbacks, name="call_on_close", daemon=True)
    _start_as(invocation, thread.start)
    _describe(invocation, thread, callbacks[0], "Flask call_on_close callback")


def start_background(invocation: Invocation, background: Any) -> None:
    """Starlette ``BackgroundTask(s)`` attached to a response: run them as a task of the
    invocation, now."""
    loop = asyncio.get_running_loop()
    task = _start_as(invocation, lambda: loop.create_task(background()))
    function = getattr(background, "func", None)
    if function is None:  # BackgroundTasks: describe it by its first task
        tasks = getattr(background, "tasks", None) or [background]
        function = getattr(tasks[0], "func", background)
    _describe(invocation, task, function, "Starlette BackgroundTask")


def _start_as(invocation: Invocation, start: Callable[[], Any]) -> Any:
    context = contextvars.copy_context()
    context.run(current.set, invocation)
    return context.run(start)


def _describe(invocation: Invocation, handle: Any, function: Any, what: str) -> None:
    work = invocation.find(handle)
    if work is None:  # tracking is off
        return
    target = inspect.unwrap(getattr(function, "func", function))
    name = getattr(target, "__qualname__", repr(target))
    work.description = f"{what} {name}() attached to the response"
    code = getattr(target, "__code__", None)
    if code is not None:
        work.stack = traceback.StackSummary.from_list(
            [(code.co_filename, code.co_firstlineno, name, None)]
        )
