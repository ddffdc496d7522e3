"""HTTP/1.1 on the wire: lastword's protocol over the httptools parser (llhttp).

One :class:`HttpProtocol` per connection; one :class:`Cycle` per request, which is the ASGI
``receive``/``send`` pair the app gets. It is written for what a function's front door must do
that a general ASGI server leaves out (see docs/serving.md):

- bounded input: request line, header block and header count (414, 431), a request head that must
  arrive in time and a body that must keep a minimum rate (408) — a slow or huge client costs a
  connection, never the server's time;
- every method reaches the function (``FOO`` too, as the contract says), HTTP/0.9 is refused,
  Content-Length/Transfer-Encoding conflicts are refused by the parser (no smuggling);
- no ``Server`` header, and no echo of the request in an error body;
- a connection lastword's supervisor also holds is shut down when it is closed here, so the client
  sees its end at once;
- the app learns that the client went away (``Cycle.on_disconnect``).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

import httptools

from .._asgi import Message, Scope
from .wire import STATUS_LINES, date_header, plain_response, shutdown_fd, status_line

if TYPE_CHECKING:
    from .server import Server

_STANDARD_METHODS = frozenset(
    {b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"HEAD", b"OPTIONS", b"CONNECT", b"TRACE"}
)
_TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_STAND_IN = b"PUT"
"""What an unusual method is parsed as (llhttp knows a fixed list): the body rules are the same."""

# connection phases, for the timeouts
IDLE, HEAD, BODY, ACTIVE = 0, 1, 2, 3

_NO_BODY = frozenset({204, 304})

_LINES: dict[tuple[bytes, bytes], tuple[bytes, bool]] = {}
"""Response header lines already checked and made: (name, value) -> (line, is Content-Length).
A function sends the same few headers over and over."""
_LINES_KEPT = 256
_LINE_KEPT = 512
"""At most this many lines are kept, none longer than this many bytes."""


class _Refuse(Exception):
    """Raised from a parser callback: answer ``status`` with ``text`` and close."""

    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


class HttpProtocol(asyncio.Protocol):
    __slots__ = (
        "server", "loop", "transport", "parser", "fd", "conn_id", "phase", "deadline",
        "head_bytes", "url", "headers", "method", "cycle", "pipeline", "start_expected",
        "pending", "reading", "writable", "closed", "client", "local", "body_received",
    )

    def __init__(self, server: Server, conn_id: int = 0):
        self.server = server
        self.loop = server.loop
        self.conn_id = conn_id
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.parser = httptools.HttpRequestParser(self)
        self.fd = -1
        self.phase = HEAD
        self.deadline = 0.0
        self.head_bytes = 0
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.method = b""
        self.cycle: Cycle | None = None
        self.pipeline: deque[Cycle] = deque()
        self.start_expected = True
        self.pending = b""
        self.reading = True
        self.writable: asyncio.Future[None] | None = None
        self.closed = False
        self.client: tuple[str, int] | None = None
        self.local: tuple[str, int] | None = None
        self.body_received = 0

    # --- the connection ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        self.fd = sock.fileno() if sock is not None else -1
        peer = transport.get_extra_info("peername")
        here = transport.get_extra_info("sockname")
        self.client = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else None
        self.local = (str(here[0]), int(here[1])) if isinstance(here, tuple) else None
        self.phase = HEAD
        self.deadline = self.loop.time() + self.server.limits.head_timeout
        self.server.connection_made(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.server.shared_sockets and self.fd >= 0:
            # The supervisor holds this connection too: end it for the client now (the transport
            # has flushed what it had to write and still owns the descriptor at this point).
            shutdown_fd(self.fd)
        self.fd = -1
        cycle = self.cycle
        if cycle is not None and not cycle.complete:
            cycle.lost()
        for queued in self.pipeline:
            queued.lost()
        self.pipeline.clear()
        if self.writable is not None and not self.writable.done():
            self.writable.set_result(None)
        self.server.connection_lost(self)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.transport.close()

    def refuse(self, status: int, text: str) -> None:
        """Answer a request lastword will not pass on, and close the connection."""
        if not self.closed:
            self.transport.write(plain_response(status, text))
            self.close()

    def pause_writing(self) -> None:
        if self.writable is None or self.writable.done():
            self.writable = self.loop.create_future()

    def resume_writing(self) -> None:
        if self.writable is not None and not self.writable.done():
            self.writable.set_result(None)

    # --- reading ------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.closed:
            return  # refused: what else the client sends is not read
        # Counted before anything else: a request read now has not begun an invocation yet, and
        # a supervisor freezing this worker at this moment must see that it was reached.
        if self.server.watched:
            self.server.noticed()
        if self.start_expected:
            if self.pending:
                data = self.pending + data
                self.pending = b""
            space = data.find(b" ", 0, 40)
            if space < 0:
                if len(data) < 40 and b"\n" not in data:
                    self.pending = data  # the method is not all here yet
                    return
            else:
                method = data[:space]
                if method not in _STANDARD_METHODS and method and all(c in _TOKEN for c in method):
                    self.method = method  # any token is a method: the function decides
                    data = _STAND_IN + data[space:]
            self.start_expected = False
        try:
            self.parser.feed_data(data)
            if self.phase == HEAD:  # the head is still incomplete: it may not grow without bound
                self.head_bytes += len(data)
                limits = self.server.limits
                if self.head_bytes > limits.max_head + limits.max_request_line:
                    self.refuse(
                        431, "Request Header Fields Too Large: the request head is over 64 KiB."
                    )
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if isinstance(cause, _Refuse):
                self.refuse(cause.status, cause.text)
            else:
                self.refuse(500, "Internal Server Error")
                raise
        except httptools.HttpParserInvalidMethodError:
            self.refuse(400, "Bad Request: the request method is not a token.")
        except httptools.HttpParserUpgrade:
            # An Upgrade (h2c, WebSocket) is not taken up: the request is answered as HTTP/1.1,
            # and the connection closed after it (what follows its head is not HTTP/1.1).
            if self.cycle is not None:
                self.cycle.keep_alive = False
            self.pause_reading()
        except httptools.HttpParserError as exc:
            self.refuse(400, f"Bad Request: {_parser_reason(exc)}")

    def on_message_begin(self) -> None:
        if self.phase == IDLE or self.phase == HEAD:
            self.deadline = self.loop.time() + self.server.limits.head_timeout
        self.phase = HEAD
        self.url = b""
        self.headers = []
        self.head_bytes = 0
        self.body_received = 0

    def on_url(self, url: bytes) -> None:
        self.url += url
        if len(self.url) > self.server.limits.max_request_line:
            raise _Refuse(414, "URI Too Long: the request line is over 8 KiB.")

    def on_header(self, name: bytes, value: bytes) -> None:
        headers = self.headers
        headers.append((name.lower(), value))
        if len(headers) > self.server.limits.max_headers:
            raise _Refuse(431, "Request Header Fields Too Large: more than 200 header fields.")

    def on_headers_complete(self) -> None:
        parser = self.parser
        version = parser.get_http_version()
        if version != "1.1" and version != "1.0":
            raise _Refuse(505, "HTTP Version Not Supported: send HTTP/1.1 or HTTP/1.0.")
        method = self.method or parser.get_method()
        self.method = b""
        url = self.url
        if url[:1] == b"/" and b"?" not in url and b"%" not in url and b"#" not in url:
            raw_path, query, path = url, b"", url.decode("latin-1")  # most requests: a plain path
        else:
            parsed = httptools.parse_url(url)
            raw_path = parsed.path
            query = parsed.query or b""
            path = raw_path.decode("latin-1")
            if "%" in path:
                from urllib.parse import unquote

                path = unquote(path)
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": version,
            "server": self.local,
            "client": self.client,
            "scheme": "http",
            "method": method.decode("latin-1"),
            "root_path": "",
            "path": path,
            "raw_path": raw_path,
            "query_string": query,
            "headers": self.headers,
        }
        keep_alive = parser.should_keep_alive() and not self.server.draining
        expect = has_body = False
        for name, value in self.headers:
            if name == b"content-length":
                has_body = has_body or value != b"0"
            elif name == b"transfer-encoding":
                has_body = True
            elif name == b"expect":
                expect = value.lower() == b"100-continue"
        cycle = Cycle(self, scope, keep_alive, expect)
        if has_body:
            self.phase = BODY
            self.deadline = self.loop.time() + self.server.limits.body_timeout
        else:
            self.phase = ACTIVE
            self.deadline = 0.0
        if self.cycle is None or self.cycle.complete:
            self.cycle = cycle
            self.server.start_request(cycle)
        else:  # a pipelined request: answered once the one before it is
            self.pipeline.append(cycle)
            self.pause_reading()

    def on_body(self, body: bytes) -> None:
        cycle = self.pipeline[-1] if self.pipeline else self.cycle
        if cycle is None or cycle.complete:
            return
        cycle.body.append(body)
        cycle.buffered += len(body)
        self.body_received += len(body)
        limits = self.server.limits
        self.deadline += len(body) / limits.body_min_rate
        if cycle.buffered > limits.high_water:
            self.pause_reading()
        cycle.wake()

    def on_message_complete(self) -> None:
        cycle = self.pipeline[-1] if self.pipeline else self.cycle
        if self.phase != IDLE:
            self.phase = ACTIVE
            self.deadline = 0.0
        self.start_expected = True
        if cycle is not None:
            cycle.more_body = False
            cycle.wake()

    def pause_reading(self) -> None:
        if self.reading and not self.closed:
            self.reading = False
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if not self.reading and not self.closed:
            self.reading = True
            self.transport.resume_reading()

    # --- between requests ---------------------------------------------------------------------

    def response_complete(self, cycle: Cycle) -> None:
        if self.closed:
            return
        if not cycle.keep_alive or cycle.more_body or self.server.draining:
            self.close()  # the rest of an unread body cannot be told from the next request
            return
        if self.pipeline:
            self.cycle = self.pipeline.popleft()
            self.resume_reading()
            self.server.start_request(self.cycle)
            return
        self.cycle = None
        self.resume_reading()
        if self.phase == ACTIVE:
            self.phase = IDLE
            self.deadline = self.loop.time() + self.server.limits.keep_alive

    def timed_out(self, now: float) -> None:
        """Called by the server's sweep when ``deadline`` has passed."""
        if self.phase == IDLE:
            self.close()
        elif self.phase == HEAD:
            if self.head_bytes:
                self.refuse(408, "Request Timeout: the request head did not arrive in time.")
            else:
                self.close()
        elif self.phase == BODY:
            cycle = self.cycle
            self.refuse(408, "Request Timeout: the request body arrived too slowly.")
            if cycle is not None:
                cycle.lost()


class Cycle:
    """One request and its response: the ASGI ``receive`` and ``send`` the app is called with."""

    __slots__ = (
        "protocol", "scope", "keep_alive", "expect_continue", "body", "buffered", "more_body",
        "waiter", "disconnected", "started", "complete", "chunked", "head_request",
        "on_disconnect", "status", "hijacked", "head", "delivered", "task",
    )

    def __init__(self, protocol: HttpProtocol, scope: Scope, keep_alive: bool, expect: bool):
        self.protocol = protocol
        self.scope = scope
        scope["lastword.cycle"] = self
        self.keep_alive = keep_alive
        self.expect_continue = expect
        self.body: list[bytes] = []
        self.buffered = 0
        self.more_body = True
        self.waiter: asyncio.Future[None] | None = None
        self.disconnected = False
        self.started = False
        self.complete = False
        self.chunked = False
        self.head_request = scope["method"] == "HEAD"
        self.on_disconnect: Callable[[], None] | None = None
        """Set by the app: called once if the client goes away before the response is complete."""
        self.status = 0
        self.hijacked = False
        """Answered from outside the event loop (a deadline watchdog): nothing more is written."""
        self.head: list[tuple[bytes, bytes]] | None = None
        self.delivered = False
        self.task: asyncio.Task[None] | None = None
        """The task serving it (set by the server)."""

    @property
    def fd(self) -> int:
        return self.protocol.fd

    def wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def lost(self) -> None:
        if self.disconnected or self.complete:
            return
        self.disconnected = True
        self.wake()
        callback = self.on_disconnect
        if callback is not None:
            self.on_disconnect = None
            callback()

    async def receive(self) -> Message:
        if self.delivered:  # the whole body was read: what is left to hear of is the end
            while not self.disconnected and not self.complete:
                self.waiter = self.protocol.loop.create_future()
                await self.waiter
                self.waiter = None
            return {"type": "http.disconnect"}
        while not self.body and self.more_body and not self.disconnected and not self.complete:
            protocol = self.protocol
            if self.expect_continue:
                self.expect_continue = False
                protocol.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            protocol.resume_reading()
            self.waiter = protocol.loop.create_future()
            await self.waiter
            self.waiter = None
        if self.disconnected or (self.complete and not self.body):
            return {"type": "http.disconnect"}
        body = b"".join(self.body) if len(self.body) != 1 else self.body[0]
        self.body.clear()
        self.buffered = 0
        if not self.more_body:
            self.delivered = True
        self.protocol.resume_reading()
        return {"type": "http.request", "body": body, "more_body": self.more_body}

    async def send(self, message: Message) -> None:
        if self.complete or self.hijacked:
            return  # the response is over (or the client is gone): nothing more to write
        protocol = self.protocol
        kind = message["type"]
        if kind == "http.response.start":
            if self.started:
                raise RuntimeError("the response was already started")
            self.started = True
            self.status = message["status"]
            self.head = message.get("headers") or []
            return
        if kind != "http.response.body":
            return
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        if protocol.closed:
            self.complete = True
            return
        head = self.head
        if head is not None:
            self.head = None
            if not more:
                self._write_whole(head, body)
                return
            data = self._head_bytes(head, body, more)
            if self.head_request or self.status in _NO_BODY:
                protocol.transport.write(data)
            elif self.chunked:
                protocol.transport.write(data + (b"%x\r\n%s\r\n" % (len(body), body) if body else b""))
            else:
                protocol.transport.write(data + body)
        elif not self.head_request and self.status not in _NO_BODY and body:
            if self.chunked:
                protocol.transport.write(b"%x\r\n%s\r\n" % (len(body), body))
            else:
                protocol.transport.write(body)
        if not more:
            if self.chunked and not self.head_request:
                protocol.transport.write(b"0\r\n\r\n")
            self.complete = True
            self.wake()  # a receive() waiting for the end hears of it
            protocol.response_complete(self)
        elif protocol.writable is not None and not protocol.writable.done():
            await protocol.writable  # the client reads slower than the function writes

    def respond(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """A whole response at once, head and body in one write: what :meth:`send` does with a
        start message and then a last body message, without the two messages."""
        if self.complete or self.hijacked:
            return
        if self.started:
            raise RuntimeError("the response was already started")
        self.started = True
        self.status = status
        if self.protocol.closed:
            self.complete = True
            return
        self._write_whole(headers, body)

    def _write_whole(self, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        protocol = self.protocol
        data = self._head_bytes(headers, body, False)
        if self.head_request or self.status in _NO_BODY:
            protocol.transport.write(data)
        else:
            protocol.transport.write(data + body)
        self.complete = True
        if self.waiter is not None:
            self.wake()  # a receive() waiting for the end hears of it
        protocol.response_complete(self)

    def _head_bytes(self, headers: list[tuple[bytes, bytes]], body: bytes, more: bool) -> bytes:
        status = self.status
        parts = [STATUS_LINES.get(status) or status_line(status)]
        length = False
        lines = _LINES
        for pair in headers:
            known = lines.get(pair) if type(pair) is tuple else None
            if known is not None:
                line, length_line = known
                length = length or length_line
                parts.append(line)
                continue
            name, value = pair
            lowered = name.lower()
            if lowered == b"transfer-encoding":
                continue  # framing is the server's
            if lowered == b"connection":
                if value.lower() == b"close":
                    self.keep_alive = False
                continue
            if b"\n" in value or b"\r" in value or b"\n" in name or b":" in name:
                self.started = False  # nothing of the head was written: it can still be a 500
                raise ValueError(f"the response header {name!r} has a line break or a colon in it")
            line = b"%s: %s\r\n" % (name, value)
            length_line = lowered == b"content-length"
            length = length or length_line
            if type(pair) is tuple and len(lines) < _LINES_KEPT and len(line) <= _LINE_KEPT:
                lines[pair] = (line, length_line)
            parts.append(line)
        if not length and self.status not in _NO_BODY and not (100 <= self.status < 200):
            if more:
                self.chunked = True
                parts.append(b"transfer-encoding: chunked\r\n")
            else:
                parts.append(b"content-length: %d\r\n" % len(body))
        parts.append(date_header())
        if not self.keep_alive or self.protocol.server.draining:
            self.keep_alive = False
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        return b"".join(parts)


def _parser_reason(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    known = {
        "Invalid method encountered": "the request line is not HTTP",
        "Invalid HTTP version": "the HTTP version is not valid",
        "Transfer-Encoding can't be present with Content-Length": (
            "Content-Length and Transfer-Encoding are both present"
        ),
    }
    return known.get(text, "the request is not valid HTTP/1.1") + "."
