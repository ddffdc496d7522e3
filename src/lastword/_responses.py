"""Sending the response: where the invocation's last word is enforced.

:class:`Send` wraps the server's ASGI ``send``. It holds back the response head until the first
body bytes, and before the last body bytes go out it asks the lifecycle to settle the invocation —
which may wait for work, cancel it, or replace the response with a 500 if the head is still unsent.
Both signature adapters (sync and async) send through it: one path for every function.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._errors import BodyTooLarge

if TYPE_CHECKING:
    from ._invocation import Invocation
    from ._lifecycle import Lifecycle

Closers = list[Callable[[], Any]]
Message = dict[str, Any]

PLAIN = (b"content-type", b"text/plain; charset=utf-8")
MAX_BODY = 32 * 1024 * 1024
"""Cloud Run's request size limit for HTTP/1 (32 MiB)."""


class Send:
    """The ASGI ``send`` the function's response goes through."""

    __slots__ = (
        "_send", "invocation", "lifecycle", "head", "started", "status", "extra_headers", "report"
    )

    def __init__(
        self,
        send: Callable[[Message], Awaitable[None]],
        invocation: Invocation,
        lifecycle: Lifecycle,
        extra_headers: list[tuple[bytes, bytes]] | None,
        report: bool = False,
    ):
        self._send = send
        self.invocation = invocation
        self.lifecycle = lifecycle
        self.head: Message | None = None
        self.started = False
        """The response head went to the server: its status can no longer change."""
        self.status = 0
        self.extra_headers = extra_headers
        self.report = report
        """Add the invocation's report as a header (lastword.testing against a server)."""

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.head = message
            self.status = message["status"]
            return
        if kind != "http.response.body":
            await self._send(message)
            return
        last = not message.get("more_body", False)
        if last and self.invocation.work:
            replace = await self.lifecycle.settle(self.invocation)
            if replace is not None and not self.started:
                await self.error(replace, self.invocation.outcome or "error", settled=True)
                return
        if not self.started:
            await self._start(streamed=not last)
        await self._send(message)
        if last:
            self.lifecycle.responded(self.invocation, self.status)

    async def _start(self, streamed: bool = False) -> None:
        head = self.head
        if head is None:
            raise RuntimeError("the response body was sent before its head")
        self.invocation.streamed = streamed
        if self.extra_headers or self.report:
            extra = list(self.extra_headers or ())
            if self.report:
                from ._report_data import report_header

                extra.append(
                    (b"x-lastword-report", report_header(self.invocation, self.status, streamed))
                )
            head = {**head, "headers": [*head.get("headers", ()), *extra]}
        self.started = True
        await self._send(head)

    async def error(
        self, status: int, outcome: str, crash: bool = False, settled: bool = False
    ) -> None:
        """Send a plain error response (only possible while the head is unsent), and finish.

        The invocation is settled first (``wait_until`` work waited for, the policy applied to
        leftovers) unless it already was; the outcome that caused the error is kept.
        """
        if not settled and self.invocation.work:
            await self.lifecycle.settle(self.invocation)
            self.invocation.outcome = outcome  # type: ignore[assignment]
        body = _ERROR_BODIES.get(outcome, b"Internal Server Error")
        headers = [PLAIN, (b"content-length", str(len(body)).encode())]
        if crash:
            headers.append((b"x-google-status", b"crash"))
        if outcome not in ("crash", "ok"):
            headers.append((b"x-lastword-outcome", outcome.encode()))
        self.head = {"type": "http.response.start", "status": status, "headers": headers}
        self.status = status
        await self._start()
        await self._send({"type": "http.response.body", "body": body})
        self.lifecycle.responded(self.invocation, status)

    def attach_after_response(self, closers: Closers, invocation: Invocation) -> None:
        """Work attached to run after the response (Flask ``call_on_close``): start it now, tracked."""

        def run_closers() -> None:
            for close in closers:
                close()

        thread = threading.Thread(target=run_closers, name="call_on_close", daemon=True)
        thread.start()
        _describe_attached(invocation, thread, closers[0], "Flask call_on_close callback")


def _describe_attached(invocation: Invocation, handle: Any, function: Any, what: str) -> None:
    work = invocation.find(handle)
    if work is None:
        return
    target = inspect.unwrap(getattr(function, "func", function))
    name = getattr(target, "__qualname__", repr(target))
    work.description = f"{what} {name}() attached to the response"
    code = getattr(target, "__code__", None)
    if code is not None:
        work.stack = traceback.StackSummary.from_list(
            [(code.co_filename, code.co_firstlineno, name, None)]
        )


def start_background(invocation: Invocation, background: Any) -> None:
    """Starlette ``BackgroundTask(s)`` attached to a response: run them as tracked work."""
    task = asyncio.get_running_loop().create_task(background())
    function = getattr(background, "func", None)
    if function is None:  # BackgroundTasks: describe by its first task
        tasks = getattr(background, "tasks", None) or [background]
        function = getattr(tasks[0], "func", background)
    _describe_attached(invocation, task, function, "Starlette BackgroundTask")


_ERROR_BODIES = {
    "crash": b"Internal Server Error",
    "no-response": b"Internal Server Error: the function returned without a response.",
    "returned-awaitable": b"Internal Server Error: the function returned an awaitable instead of a response.",
    "unawaited-coroutine": b"Internal Server Error: the function created a coroutine it never awaited.",
    "left-work": b"Internal Server Error: the function left background work running after its response.",
    "too-large": b"Payload Too Large: the request body is over the 32 MiB limit.",
}


async def read_body(receive: Callable[[], Awaitable[Message]], limit: int = MAX_BODY) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(f"request body larger than {limit} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def function_site(function: Callable[..., Any]) -> str:
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return getattr(function, "__qualname__", "the function")
    return f"{code.co_filename}:{code.co_firstlineno}"


def describe_value(value: Any) -> str:
    name = getattr(value, "__qualname__", None)
    return f"{type(value).__name__} {name}()" if name else type(value).__name__
