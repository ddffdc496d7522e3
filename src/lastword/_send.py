"""Sending the response: where the invocation's last word is enforced.

:class:`Send` wraps the server's ASGI ``send``. It holds back the response head until the first
body bytes, and before the last body bytes go out it asks the lifecycle to settle the invocation —
which may wait for work, cancel it, or replace the response with a 500 if the head is still unsent.
Every response of every signature type goes through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._asgi import PLAIN, Message, content_length
from ._asgi import Send as ASGISend

if TYPE_CHECKING:
    from ._instance import Instance
    from ._invocation import Invocation
    from ._lifecycle import Lifecycle


class Send:
    """The ASGI ``send`` the function's response goes through."""

    __slots__ = (
        "_send", "invocation", "lifecycle", "head", "started", "status", "extra_headers", "report",
        "instance",
    )

    def __init__(
        self,
        send: ASGISend,
        invocation: Invocation,
        lifecycle: Lifecycle,
        extra_headers: list[tuple[bytes, bytes]] | None,
        report: bool = False,
        instance: Instance | None = None,
    ):
        self._send = send
        self.instance = instance
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
        if self.invocation.responded:
            return  # answered already (504 at its deadline): what the function sends now is dropped
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
        self.invocation.sent += len(message.get("body", b""))
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
        if self.instance is not None:
            self.instance.started(self.invocation)
        await self._send(head)

    async def error(
        self,
        status: int,
        outcome: str,
        crash: bool = False,
        settled: bool = False,
        message: str | None = None,
        headers: tuple[tuple[bytes, bytes], ...] = (),
    ) -> None:
        """Send a plain error response (only possible while the head is unsent), and finish.

        The invocation is settled first (``wait_until`` work waited for, the policy applied to
        leftovers) unless it already was; the outcome that caused the error is kept. The body is
        ``message`` (written by lastword, never an echo of the request) or the outcome's own.
        """
        if self.invocation.responded:
            return
        if not settled and self.invocation.work:
            await self.lifecycle.settle(self.invocation)
            self.invocation.outcome = outcome  # type: ignore[assignment]
        if message is not None:
            body = message.encode()
        else:
            body = _ERROR_BODIES.get(outcome, b"Internal Server Error")
        head = [PLAIN, content_length(body), *headers]
        if crash:
            head.append((b"x-google-status", b"crash"))
        if outcome not in ("crash", "ok", "bad-request"):
            head.append((b"x-lastword-outcome", outcome.encode()))
        self.head = {"type": "http.response.start", "status": status, "headers": head}
        self.status = status
        await self._start()
        self.invocation.sent += len(body)
        await self._send({"type": "http.response.body", "body": body})
        self.lifecycle.responded(self.invocation, status)


_ERROR_BODIES = {
    "crash": b"Internal Server Error",
    "no-response": b"Internal Server Error: the function returned without a response.",
    "returned-awaitable": b"Internal Server Error: the function returned an awaitable instead of a response.",
    "unawaited-coroutine": b"Internal Server Error: the function created a coroutine it never awaited.",
    "left-work": b"Internal Server Error: the function left background work running after its response.",
    "too-large": b"Payload Too Large: the request body is over the 32 MiB limit.",
    "timeout": b"Gateway Timeout: the function did not respond before its deadline.",
    "shutdown": b"Service Unavailable: the instance shut down before the function responded.",
}
