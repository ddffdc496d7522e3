"""The ASGI application: one path for every request of every signature type.

server -> :class:`App` (ignored routes, execution id and trace, the body read once, one place that
turns failures into responses) -> :class:`~lastword._invoke.Invoker` (where the function runs) ->
signature adapter (what it receives, what its return becomes) -> the invocation's lifecycle
(:class:`~lastword._lifecycle.Lifecycle`, enforced in :class:`~lastword._send.Send`) -> user
function -> response.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any

from . import _reports
from ._asgi import PLAIN, Receive, Scope, content_length
from ._asgi import Send as ASGISend
from ._config import HEALTH_PATH, Config
from ._errors import (
    BadRequest,
    BadReturn,
    BodyTooLarge,
    ClientGone,
    InvocationTimeout,
)
from ._frames import frame_of
from ._instance import Instance, Overloaded
from ._invocation import Invocation
from ._invoke import Invoker
from ._lifecycle import Lifecycle
from ._loader import LoadedFunction
from ._pool import ThreadPool
from ._request import Incoming, has_body, read_body
from ._send import Send

logger = logging.getLogger("lastword")

_GET = frozenset({"GET"})
_SPECIAL = {
    "/robots.txt": (_GET, "not-found"),
    "/favicon.ico": (_GET, "not-found"),
    HEALTH_PATH: (frozenset({"GET", "HEAD"}), "health"),
}
"""Paths answered without calling the function (method set, what)."""
_EXECUTION_ID = b"function-execution-id"
_TRACE_HEADERS = {b"x-cloud-trace-context", b"traceparent"}
_ACKNOWLEDGES = {"cloudevent": "event", "event": "event"}
"""What a 2xx acknowledges, for the signature types whose sender retries what is not acked."""


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
        instance: Instance | None = None,
    ):
        self.loaded = loaded
        self.config = config
        self.lifecycle = Lifecycle(
            loaded.name,
            policy=config.background,
            cpu=config.cpu,
            timeout=config.timeout,
            observer=observer,
            acknowledges=_ACKNOWLEDGES.get(loaded.signature_type),
        )
        self.pool = ThreadPool(config.threads)
        self.invoker = Invoker(loaded, self.pool)
        self.site = loaded.site
        self.echo_execution_id = config.log_execution_id
        self.loop_adopted = False
        if instance is None:
            instance = Instance(config.concurrency, config.concurrency)
        self.instance = instance
        instance.on_deadline = self.on_deadline
        instance.interrupt = self.interrupt
        self._interrupting: Invocation | None = None
        self.refused = 0
        self.refused_logged = 0.0

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
        special = _SPECIAL.get(scope["path"])
        if special is not None and scope["method"] in special[0]:
            await self._special(special[1], send)
            return
        execution_id = trace = None
        for name, value in scope["headers"]:
            if name == _EXECUTION_ID:
                execution_id = value.decode("latin-1")
            elif name in _TRACE_HEADERS:
                trace = (name, value)
        cycle = scope.get("lastword.cycle")
        if cycle is not None:  # served by lastword's server: its loop, and the task it made
            loop, task = cycle.protocol.loop, cycle.task
        else:
            loop = asyncio.get_running_loop()
            task = asyncio.current_task(loop)
        invocation = self.lifecycle.begin(execution_id, loop, scope)
        if trace is not None:
            invocation.trace = parse_trace(*trace)
        invocation.cycle = cycle
        invocation.task = task
        instance = self.instance
        try:
            turn = instance.enter(invocation, loop)
        except Overloaded as exc:
            await self._refuse(send, str(exc))
            return
        extra = [(_EXECUTION_ID, invocation.id.encode("latin-1"))] if self.echo_execution_id else None
        responder = Send(
            send, invocation, self.lifecycle, extra, self.config.report_header, instance,
            cycle if cycle is not None and getattr(send, "__self__", None) is cycle else None,
        )
        try:
            if turn is not None:
                if cycle is not None:
                    cycle.on_disconnect = turn.cancel
                try:
                    await turn
                except asyncio.CancelledError:
                    if invocation.outcome == "timeout":  # its deadline came while it waited
                        await self._fail(responder, 504, "timeout", settled=True)
                        return
                    if not (cycle is not None and cycle.disconnected):
                        raise  # the server is stopping
                    invocation.client_gone = True
                    invocation.outcome = "client-gone"
                    _reports.report_client_gone(invocation, called=False)
                    return
            if cycle is not None:
                cycle.on_disconnect = functools.partial(self._client_gone, invocation)
            body = await read_body(scope, receive) if has_body(scope) else b""
            await self.invoker(Incoming(scope, body, receive), invocation, responder)
        except (Exception, asyncio.CancelledError) as exc:
            if not await self._failed(exc, invocation, responder):
                raise
        finally:
            if cycle is not None:
                cycle.on_disconnect = None
            instance.exit(invocation, turn)

    async def _failed(self, exc: BaseException, invocation: Invocation, responder: Send) -> bool:
        """The one place a failure becomes a response (or nothing, when nobody listens). False:
        not the function's, nor the request's (the server is stopping): let it propagate."""
        if isinstance(exc, BadReturn):
            invocation.outcome = exc.outcome  # type: ignore[assignment]
            if exc.outcome == "no-response":
                _reports.report_no_response(invocation, self.site)
            else:
                _reports.report_returned_awaitable(
                    invocation, self.site, exc.args[0], self.loaded.is_async
                )
            await self._fail(responder, 500, exc.outcome)
        elif isinstance(exc, BadRequest):  # the function was not called (a malformed event...)
            invocation.outcome = "bad-request"
            _reports.report_bad_request(invocation, str(exc), exc.status)
            await self._fail(responder, exc.status, "bad-request", str(exc), headers=exc.headers)
        elif isinstance(exc, BodyTooLarge):
            invocation.outcome = "too-large"
            await self._fail(responder, 413, "too-large")
        elif isinstance(exc, ClientGone):
            invocation.outcome = "client-gone"
            _reports.report_client_gone(invocation, called=False)
        elif isinstance(exc, (InvocationTimeout, asyncio.CancelledError)):
            if invocation.outcome != "timeout":
                return False  # not cancelled by its deadline: the server is stopping
            await self._fail(responder, 504, "timeout", settled=True)
        elif invocation.outcome == "timeout" or invocation.client_gone:
            pass  # answered at its deadline, or nobody is listening: nothing more to send
        else:
            invocation.outcome = "crash"
            _reports.report_crash(invocation, exc)  # type: ignore[arg-type]
            await self._fail(responder, 500, "crash")
        return True

    def _client_gone(self, invocation: Invocation) -> None:
        if not invocation.responded:
            invocation.client_gone = True
            _reports.report_client_gone(invocation, called=True)

    def on_deadline(self, invocation: Invocation) -> None:
        """On the event loop, when ``invocation`` reached its deadline: say where its function
        is, and cancel its request task, which then answers 504 (see :meth:`_invoke`)."""
        expiry = invocation.expiry
        try:
            if invocation.responded or invocation.outcome == "timeout":
                return
            invocation.outcome = "timeout"
            self.instance.answered(invocation)
            if self.loaded.is_async:
                frames = _task_frames(invocation.task)
                stopping = "lastword cancelled it. "
            else:
                frames = _thread_frames(invocation.thread)
                if self.instance.channel is not None:
                    stopping = (
                        "A thread cannot be stopped: this worker is replaced once its other "
                        "invocations are over. "
                    )
                    self.instance.channel.recycle(
                        f"{self.loaded.name}() of invocation {invocation.id} is still running "
                        "on a thread past its deadline"
                    )
                else:
                    stopping = "A thread cannot be stopped: it runs on. "
            _reports.report_timeout(invocation, frames, stopping=stopping)
            task = invocation.task
            if task is not None and not task.done():
                task.cancel()
        finally:
            if expiry is not None:
                expiry.set()

    def _responder_of(self, invocation: Invocation) -> Send | None:
        cycle = invocation.cycle
        if cycle is None or cycle.started or cycle.complete:
            return None
        return Send(cycle.send, invocation, self.lifecycle, None, self.config.report_header,
                    cycle=cycle)

    def interrupt(self, invocation: Invocation) -> bool:
        """Stop an async function holding the event loop (the main thread) at its deadline:
        a signal whose handler raises in it, only if the function is what runs there."""
        if not self.loaded.is_async:
            return False
        import signal
        import threading

        self._interrupting = invocation
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGUSR2)
        return True

    def on_interrupt_signal(self, signum: int, frame: Any) -> None:
        """The SIGUSR2 handler (main thread): raise in the function if it is running."""
        invocation = self._interrupting
        self._interrupting = None
        if invocation is None:
            return
        code = getattr(inspect.unwrap(self.loaded.function), "__code__", None)
        while frame is not None:
            if frame.f_code is code:
                raise InvocationTimeout(f"invocation {invocation.id} reached its deadline")
            frame = frame.f_back

    async def _special(self, what: str, send: ASGISend) -> None:
        if what == "health":
            if self.instance.draining:
                await _plain(send, 503, b"draining")
            else:
                await _plain(send, 200, b"ok")
            return
        await _plain(send, 404, b"Not Found")

    async def _refuse(self, send: ASGISend, reason: str) -> None:
        now = time.monotonic()
        self.refused += 1
        if now - self.refused_logged > 1.0:
            count, self.refused = self.refused, 0
            self.refused_logged = now
            _reports.report_overloaded(
                self.loaded.name, reason + (f" ({count} requests refused)" if count > 1 else "")
            )
        body = b"Too Many Requests: the instance is at its concurrency limit; retry shortly."
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [PLAIN, content_length(body), (b"retry-after", b"1")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _fail(
        self,
        responder: Send,
        status: int,
        outcome: str,
        message: str | None = None,
        settled: bool = False,
        headers: tuple[tuple[bytes, bytes], ...] = (),
    ) -> None:
        if responder.started:  # mid-stream: the status is gone; end the response as it is
            raise RuntimeError("the function failed after its response had started")
        await responder.error(
            status,
            outcome,
            crash=outcome == "crash",
            message=message,
            settled=settled,
            headers=headers,
        )

    def _adopt_loop(self) -> None:
        """Track tasks on the loop we run on, also when another ASGI server made it."""
        self.loop_adopted = True
        if self.config.tracking:
            from ._tracking import adopt_loop

            adopt_loop(asyncio.get_running_loop())

    async def startup(self) -> None:
        self._adopt_loop()

    async def shutdown(self, grace: float | None = None) -> None:
        """Let work handed off past its response finish (up to ``grace`` s), report what is left."""
        wait = min(self.config.grace, self.config.timeout) if grace is None else grace
        left = await self.lifecycle.drain(timeout=wait)
        for work in left:
            _reports.report_abandoned(work)
            work.abandon()
        self.instance.stop()
        self.pool.shutdown()

    async def cut_short(self, invocation: Invocation) -> None:
        """At shutdown, past the grace period: answer 503 if nothing was sent yet, and say so."""
        responder = self._responder_of(invocation)
        invocation.outcome = "shutdown"
        _reports.report_cut_short(invocation, self.config.grace, answered=responder is not None)
        if responder is not None:
            await responder.error(503, "shutdown", settled=True)

    async def lifespan(self, receive: Receive, send: ASGISend) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
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
    _logging.configure_hosted(config)
    if config.tracking:
        _tracking.install()
    return App(loaded, config)


def _task_frames(task: Any) -> list[Any]:
    """The frames of a suspended task's coroutine chain (what it awaits, down to the innermost),
    outermost first."""
    frames: list[Any] = []
    coro = task.get_coro() if task is not None else None
    while coro is not None and len(frames) < 200:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        frames.append(frame)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return frames


def _thread_frames(ident: int) -> list[Any]:
    from ._reports import stack_of

    return stack_of(frame_of(ident))
