"""The ASGI application: one path for every request of every signature type.

server -> :class:`App` (ignored routes, execution id and trace, the body read once, one place that
turns failures into responses) -> :class:`~lastword._invoke.Invoker` (where the function runs) ->
signature adapter (what it receives, what its return becomes) -> the invocation's lifecycle
(:class:`~lastword._lifecycle.Lifecycle`, enforced in :class:`~lastword._send.Send`) -> user
function -> response.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from . import _reports
from ._asgi import PLAIN, Receive, Scope, content_length
from ._asgi import Send as ASGISend
from ._config import Config
from ._errors import BadRequest, BadReturn, BodyTooLarge, NotServedYet
from ._invocation import Invocation
from ._invoke import Invoker
from ._lifecycle import Lifecycle
from ._loader import LoadedFunction
from ._pool import ThreadPool
from ._request import Incoming, read_body
from ._send import Send

logger = logging.getLogger("lastword")

_NOT_FOUND = {"/robots.txt", "/favicon.ico"}
_EXECUTION_ID = b"function-execution-id"
_TRACE_HEADERS = {b"x-cloud-trace-context", b"traceparent"}
SERVED = frozenset({"http"})
"""Signature types this release serves."""


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
    if loaded.signature_type not in SERVED:
        raise NotServedYet(
            f"{loaded.name}() is a {loaded.signature_type} function: this release of lastword "
            "serves http functions only (CloudEvent, legacy event and typed functions come "
            "next). Serve it with functions-framework for now, or pass --signature-type http "
            "if it is an HTTP function."
        )


class App:
    """Serves one loaded function as an ASGI application.

    ``config`` is the resolved configuration (what the source declares already folded in by
    :func:`~lastword._loader.load`): the background policy in effect is ``config.background``.
    """

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
            policy=config.background,
            cpu=config.cpu,
            timeout=config.timeout,
            observer=observer,
        )
        self.pool = ThreadPool(config.threads)
        self.invoker = Invoker(loaded, self.pool)
        self.site = loaded.site
        self.echo_execution_id = config.log_execution_id
        self.loop_adopted = False

    async def __call__(self, scope: Scope, receive: Receive, send: ASGISend) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.http(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1003})

    async def http(self, scope: Scope, receive: Receive, send: ASGISend) -> None:
        if not self.loop_adopted:
            self._adopt_loop()
        if scope["method"] == "GET" and scope["path"] in _NOT_FOUND:
            await _plain(send, 404, b"Not Found")
            return
        execution_id = trace = None
        for name, value in scope["headers"]:
            if name == _EXECUTION_ID:
                execution_id = value.decode("latin-1")
            elif name in _TRACE_HEADERS:
                trace = (name, value)
        invocation = self.lifecycle.begin(execution_id, asyncio.get_running_loop(), scope)
        if trace is not None:
            invocation.trace = parse_trace(*trace)
        extra = [(_EXECUTION_ID, invocation.id.encode("latin-1"))] if self.echo_execution_id else None
        responder = Send(send, invocation, self.lifecycle, extra, self.config.report_header)
        try:
            request = Incoming(scope, await read_body(scope, receive), receive)
            await self.invoker(request, invocation, responder)
        except BadReturn as exc:
            invocation.outcome = exc.outcome  # type: ignore[assignment]
            if exc.outcome == "no-response":
                _reports.report_no_response(invocation, self.site)
            else:
                _reports.report_returned_awaitable(
                    invocation, self.site, exc.args[0], self.loaded.is_async
                )
            await self._fail(responder, 500, exc.outcome)
        except BadRequest as exc:
            invocation.outcome = "bad-request"
            _reports.report_bad_request(invocation, str(exc))
            await self._fail(responder, 400, "bad-request", str(exc))
        except BodyTooLarge:
            invocation.outcome = "too-large"
            await self._fail(responder, 413, "too-large")
        except Exception as exc:
            invocation.outcome = "crash"
            _reports.report_crash(invocation, exc)
            await self._fail(responder, 500, "crash")

    async def _fail(
        self, responder: Send, status: int, outcome: str, message: str | None = None
    ) -> None:
        if responder.started:  # mid-stream: the status is gone; end the response as it is
            raise RuntimeError("the function failed after its response had started")
        await responder.error(status, outcome, crash=outcome == "crash", message=message)

    def _adopt_loop(self) -> None:
        """Track tasks on the loop we run on, also when another ASGI server made it."""
        self.loop_adopted = True
        if self.config.tracking:
            from ._tracking import adopt_loop

            adopt_loop(asyncio.get_running_loop())

    async def lifespan(self, receive: Receive, send: ASGISend) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._adopt_loop()
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
        {"type": "http.response.start", "status": status, "headers": [PLAIN, content_length(body)]}
    )
    await send({"type": "http.response.body", "body": body})


def create_app(
    target: str | None = None,
    source: str | None = None,
    signature_type: str | None = None,
    **options: object,
) -> App:
    """An ASGI app serving ``target`` from ``source``, for any ASGI server or test client.

    The same pipeline and lifecycle tracking as ``lastword serve``; configuration comes from the
    environment (``FUNCTION_TARGET``, ``LASTWORD_BACKGROUND``, ...), then these arguments, then
    what the source declares. Raises a :class:`~lastword._errors.StartupError` with lastword's
    message if the function cannot be served.
    """
    import os

    from . import _logging, _tracking
    from ._loader import load

    flags = {"target": target, "source": source, "signature_type": signature_type, **options}
    loaded, config = load(Config.build(env=os.environ, flags=flags))
    check_servable(loaded)
    _logging.configure_hosted(config)
    if config.tracking:
        _tracking.install()
    return App(loaded, config)
