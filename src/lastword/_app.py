"""The ASGI application: one path for every request.

server -> :class:`App` -> signature adapter (sync Flask-style or async Starlette-style) ->
invocation lifecycle (:class:`~lastword._lifecycle.Lifecycle`, enforced in
:class:`~lastword._responses.Send`) -> user function -> response.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from . import _reports
from ._config import Config
from ._errors import BadReturn, BodyTooLarge, NotServedYet
from ._invocation import Invocation, current
from ._lifecycle import Lifecycle
from ._loader import LoadedFunction
from ._pool import ThreadPool
from ._responses import MAX_BODY, PLAIN, Send, function_site

logger = logging.getLogger("lastword")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
ASGISend = Callable[[dict[str, Any]], Awaitable[None]]

_NOT_FOUND = {"/robots.txt", "/favicon.ico"}
_EXECUTION_ID = b"function-execution-id"
_TRACE_HEADERS = {b"x-cloud-trace-context", b"traceparent"}


def parse_trace(name: bytes, value: bytes) -> tuple[str, str | None] | None:
    """(trace id, span id) from ``X-Cloud-Trace-Context: T/S;o=1`` or ``traceparent: 00-T-S-01``."""
    text = value.decode("latin-1").strip()
    if name == b"traceparent":
        parts = text.split("-")
        if len(parts) >= 3 and len(parts[1]) == 32:
            return parts[1], parts[2]
        return None
    trace, _, rest = text.partition("/")
    span = rest.split(";", 1)[0] or None
    return (trace, span) if trace else None


def check_servable(loaded: LoadedFunction) -> None:
    """Refuse, before any port opens, a signature type this release does not serve."""
    if loaded.signature_type != "http":
        raise NotServedYet(
            f"{loaded.name}() is a {loaded.signature_type} function: this release of lastword "
            "serves http functions only (CloudEvent, legacy event and typed functions come "
            "next). Serve it with functions-framework for now, or pass --signature-type http "
            "if it is an HTTP function."
        )


class App:
    """Serves one loaded HTTP function as an ASGI application."""

    def __init__(
        self,
        loaded: LoadedFunction,
        config: Config,
        observer: Callable[[Invocation], None] | None = None,
    ):
        check_servable(loaded)
        self.loaded = loaded
        self.config = config
        self.lifecycle = Lifecycle(
            loaded.name,
            policy=loaded.background or config.background,
            cpu=config.cpu,
            timeout=config.timeout,
            observer=observer,
        )
        self.pool = ThreadPool(config.threads)
        self.site = function_site(loaded.function)
        self.echo_execution_id = config.log_execution_id
        self.adapter: Any
        if loaded.is_async:
            from ._http_async import StarletteHttpAdapter

            self.adapter = StarletteHttpAdapter(loaded)
        else:
            from ._http_sync import FlaskHttpAdapter

            self.adapter = FlaskHttpAdapter(loaded, self.pool, MAX_BODY)

    async def __call__(self, scope: Scope, receive: Receive, send: ASGISend) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1003})

    async def http(self, scope: Scope, receive: Receive, send: ASGISend) -> None:
        if scope["method"] == "GET" and scope["path"] in _NOT_FOUND:
            await _plain(send, 404, b"Not Found")
            return
        execution_id = trace = None
        for name, value in scope["headers"]:
            if name == _EXECUTION_ID:
                execution_id = value.decode("latin-1")
            elif name in _TRACE_HEADERS:
                trace = (name, value)
        invocation = self.lifecycle.begin(execution_id, asyncio.get_running_loop())
        if trace is not None:
            invocation.trace = parse_trace(*trace)
        extra = [(_EXECUTION_ID, invocation.id.encode("latin-1"))] if self.echo_execution_id else None
        responder = Send(send, invocation, self.lifecycle, extra, self.config.report_header)
        token = current.set(invocation)
        try:
            await self.adapter(scope, receive, responder, invocation)
        except BadReturn as exc:
            invocation.outcome = exc.outcome  # type: ignore[assignment]
            if exc.outcome == "no-response":
                _reports.report_no_response(invocation, self.site)
            else:
                _reports.report_returned_awaitable(
                    invocation, self.site, exc.args[0], self.loaded.is_async
                )
            await self._fail(responder, exc.outcome)
        except BodyTooLarge:
            if not responder.started:
                await responder.error(413, "too-large")
        except Exception as exc:
            invocation.outcome = "crash"
            _reports.report_crash(invocation, exc)
            await self._fail(responder, "crash")
        finally:
            current.reset(token)

    async def _fail(self, responder: Send, outcome: str) -> None:
        if responder.started:  # mid-stream: the status is gone; end the response as it is
            raise RuntimeError("the function failed after its response had started")
        await responder.error(500, outcome, crash=outcome == "crash")

    async def lifespan(self, receive: Receive, send: ASGISend) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                left = await self.lifecycle.drain(timeout=min(self.config.timeout, 10.0))
                for work in left:
                    _reports.report_leftover(work, "still running at shutdown")
                self.pool.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _plain(send: ASGISend, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [PLAIN, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
