"""Sending the response: where the invocation's last word is enforced.

:class:`Send` wraps the server's ASGI ``send``. It holds back the response head until the first
body bytes, and before the last body bytes go out it asks the lifecycle to settle the invocation —
which may wait for work, cancel it, or replace the response with a 500 if the head is still unsent.
Every response of every signature type goes through it.

A whole response (what most functions return) goes through :meth:`Send.whole`: the same rules, and
on lastword's own server one call to the request's cycle, which writes head and body at once —
no ASGI messages, and nothing to await when the invocation left no work to settle.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ._asgi import PLAIN, Headers, Message, content_length
from ._asgi import Send as ASGISend

if TYPE_CHECKING:
    from ._instance import Instance
    from ._invocation import Invocation
    from ._lifecycle import Lifecycle
    from ._serving.protocol import Cycle


class Send:
    """The ASGI ``send`` the function's response goes through."""

    __slots__ = (
        "_send", "invocation", "lifecycle", "head", "started", "status", "extra_headers", "report",
        "instance", "cycle",
    )

    def __init__(
        self,
        send: ASGISend,
        invocation: Invocation,
        lifecycle: Lifecycle,
        extra_headers: list[tuple[bytes, bytes]] | None,
        report: bool = False,
        instance: Instance | None = None,
        cycle: Cycle | None = None,
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
        self.cycle = cycle
        """lastword's server's request cycle, when ``send`` is its: a whole response is handed
        to it in one call (:meth:`~lastword._serving.protocol.Cycle.respond`), not as two
        messages."""

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
            head = self.head
            if head is None:
                raise RuntimeError("the response body was sent before its head")
            if last:  # the whole response in one message
                await self._whole(self.status, head.get("headers") or [], message.get("body", b""))
                return
            await self._start(head)
        self.invocation.sent += len(message.get("body", b""))
        await self._send(message)
        if last:
            self.lifecycle.responded(self.invocation, self.status)

    def whole(self, status: int, headers: Headers, body: bytes) -> Awaitable[None] | None:
        """Send a whole response (what most functions return): the same as a start message and
        a last body message, settled first.

        Sent at once, returning None, when the invocation left no work to settle and the server
        is lastword's (most requests: nothing to await); otherwise returns what to await.
        """
        invocation = self.invocation
        if invocation.responded:
            return None  # answered already (504 at its deadline)
        if invocation.work or self.cycle is None:
            return self._settle_and_send(status, headers, body)
        self.status = status
        self._whole_now(status, headers, body)
        return None

    async def _settle_and_send(self, status: int, headers: Headers, body: bytes) -> None:
        invocation = self.invocation
        self.status = status
        if invocation.work:
            replace = await self.lifecycle.settle(invocation)
            if replace is not None:
                await self.error(replace, invocation.outcome or "error", settled=True)
                return
        await self._whole(status, headers, body)

    async def _whole(self, status: int, headers: Headers, body: bytes) -> None:
        """Start and finish the response: its head (with lastword's headers) and its body."""
        if self.cycle is not None:
            self._whole_now(status, headers, body)
            return
        invocation = self.invocation
        headers = self._starting(status, headers)
        invocation.sent += len(body)
        await self._send({"type": "http.response.start", "status": status, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})
        self.lifecycle.responded(invocation, status)

    def _whole_now(self, status: int, headers: Headers, body: bytes) -> None:
        """:meth:`_whole` on lastword's server: one call, nothing to await."""
        invocation = self.invocation
        invocation.streamed = False
        if self.extra_headers or self.report:
            headers = self._headers(headers, status, False)
        self.cycle.respond(status, headers, body)  # type: ignore[union-attr]
        self.started = True  # after: a head it refused (a bad header) can still become a 500
        if self.instance is not None:
            self.instance.started(invocation)
        invocation.sent += len(body)
        self.lifecycle.responded(invocation, status)

    def _starting(self, status: int, headers: Headers) -> Headers:
        """A whole response's head is about to go out: its headers, with lastword's."""
        self.invocation.streamed = False
        self.started = True
        if self.instance is not None:
            self.instance.started(self.invocation)
        return self._headers(headers, status, False)

    async def _start(self, head: Message) -> None:
        """Start a response sent in parts."""
        self.invocation.streamed = True
        headers = head.get("headers") or []
        added = self._headers(headers, self.status, True)
        if added is not headers:
            head = {**head, "headers": added}
        self.started = True
        if self.instance is not None:
            self.instance.started(self.invocation)
        await self._send(head)

    def _headers(self, headers: Headers, status: int, streamed: bool) -> Headers:
        """``headers`` with what lastword adds (the execution id, the report header)."""
        if not (self.extra_headers or self.report):
            return headers
        extra = list(self.extra_headers or ())
        if self.report:
            from ._report_data import report_header

            extra.append((b"x-lastword-report", report_header(self.invocation, status, streamed)))
        return [*headers, *extra]

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
        self.status = status
        await self._whole(status, head, body)


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
