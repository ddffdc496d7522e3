"""The HTTP server of one process: connections in, each request to the app, and its drain.

:func:`build` is the one place a function's app and server are assembled, for a worker process
under the supervisor and for ``lastword.testing``'s in-process server alike. Connections come from a
listening socket (in-process) or one at a time from the supervisor (a worker), and are served by
:class:`~lastword._serving.protocol.HttpProtocol`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from .protocol import ACTIVE, BODY, HEAD, IDLE, Cycle, HttpProtocol
from .wire import Limits, shutdown_fd

if TYPE_CHECKING:
    from .._app import App
    from .._config import Config
    from .._instance import Channel
    from .._invocation import Invocation
    from .._loader import LoadedFunction

logger = logging.getLogger("lastword")

SWEEP_INTERVAL = 0.5
"""Seconds between checks of the connections' timeouts."""

FIRST_REQUEST_WAIT = 1.0
"""Seconds a draining server still waits for the request of a connection that has sent none yet
(or only part of its head): the connection was accepted before the drain began and its request is
on its way, so closing it would lose a request the client was entitled to send."""


class Server:
    def __init__(self, app: App | Any, limits: Limits | None = None, shared_sockets: bool = False):
        self.app = app
        self.handle = getattr(app, "http", None) or app
        """What a request is handed to: lastword's app takes HTTP requests directly (what its
        ASGI ``__call__`` does with an ``http`` scope)."""
        self.instance = app.instance
        self.limits = limits or Limits()
        self.shared_sockets = shared_sockets
        """The supervisor holds a copy of each connection (a worker process)."""
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]
        self._create_task: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]] = None  # type: ignore[assignment]
        self.connections: set[HttpProtocol] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.draining = False
        self.awaited_until = 0.0
        """While draining: until when a connection's first request is still waited for."""
        self.listener: asyncio.AbstractServer | None = None
        self._sweeper: asyncio.TimerHandle | None = None
        self.watched = False
        """The worker told its supervisor that it is idle (it may be frozen now): the next
        connection or bytes read must be told to ``on_activity``. Checked on every read, and
        false while busy, so a request that finds the worker running costs one attribute test."""
        self.on_activity: Callable[[], None] = _nothing
        """Called, once ``watched``, when a connection arrives or bytes are read: the supervisor
        reads the count it writes to know that a worker it is freezing was reached meanwhile."""

    # --- lifetime -----------------------------------------------------------------------------

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        base = getattr(type(self.loop), "_base_create_task", None)
        # On a tracking loop a request's task is lastword's own, never an invocation's work:
        # made without asking whether it is.
        self._create_task = (
            functools.partial(base, self.loop) if base is not None else self.loop.create_task
        )
        self._sweeper = self.loop.call_later(SWEEP_INTERVAL, self._sweep)
        await self.app.startup()

    async def listen(self, sock: socket.socket) -> None:
        """Accept connections from ``sock`` (lastword.testing, in-process)."""
        self.listener = await self.loop.create_server(
            lambda: HttpProtocol(self), sock=sock, backlog=2048
        )

    def take(self, sock: socket.socket, conn_id: int) -> None:
        """Serve a connection the supervisor accepted (a drain that begins meanwhile waits for
        it to be set up, then for its request)."""
        task = self._create_task(self._adopt(sock, conn_id))
        self.tasks.add(task)
        task.add_done_callback(lambda done: self.tasks.discard(done))

    async def _adopt(self, sock: socket.socket, conn_id: int) -> None:
        self.noticed()
        try:
            await self.loop.connect_accepted_socket(lambda: HttpProtocol(self, conn_id), sock=sock)
        except OSError:  # the client is already gone
            if self.shared_sockets:
                shutdown_fd(sock.fileno())  # the supervisor's copy must not keep it open
            sock.close()

    def noticed(self) -> None:
        """A connection arrived or bytes were read: tell ``on_activity`` if it is watched for."""
        if self.watched:
            self.watched = False
            self.on_activity()

    def busy(self) -> bool:
        """Anything of a request under way: an invocation, a request being read, a response
        being written."""
        if self.instance.in_flight:
            return True
        if self.tasks:  # a task cancelled before it ran never removed itself
            self.tasks = {task for task in self.tasks if not task.done()}
            if self.tasks:
                return True
        for connection in self.connections:
            if connection.phase in (HEAD, BODY) and connection.head_bytes:
                return True
            transport = connection.transport
            if transport is not None and transport.get_write_buffer_size():
                return True
        return False

    async def drain(self, grace: float) -> list[Invocation]:
        """Stop taking requests and let those in flight finish, for up to ``grace`` seconds.

        Idle keep-alive connections are closed now, busy ones after their response. A
        connection accepted but whose request has not arrived (or only in part) is given
        ``FIRST_REQUEST_WAIT`` for it: the client sent it before the drain began. Invocations still
        running when the grace period runs out get a 503 and a line each, and are cancelled.
        Returns them.
        """
        self.draining = True
        self.instance.draining = True
        if self.listener is not None:
            self.listener.close()
        for connection in list(self.connections):
            if connection.phase == IDLE:
                connection.close()
        now = time.monotonic()
        deadline = now + grace
        self.awaited_until = min(deadline, now + FIRST_REQUEST_WAIT)
        while True:
            self.tasks = {task for task in self.tasks if not task.done()}
            awaited = self._awaiting_requests()
            if not (self.tasks or awaited) or time.monotonic() >= deadline:
                break
            timeout = max(0.0, deadline - time.monotonic())
            if awaited:  # a request starting is no task's end: look again soon
                timeout = min(timeout, 0.01)
            if self.tasks:
                await asyncio.wait(list(self.tasks), timeout=timeout)
            else:
                await asyncio.sleep(timeout)
        left = list(self.instance.in_flight)
        for invocation in left:
            await self.app.cut_short(invocation)  # a 503 and a line for each, then they stop
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=1.0)
        for connection in list(self.connections):
            connection.close()
        return left

    async def stop(self, grace: float | None = None) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        await self.app.shutdown(grace)

    # --- requests -----------------------------------------------------------------------------

    def start_request(self, cycle: Cycle) -> None:
        task = cycle.task = self._create_task(self._run(cycle))
        self.tasks.add(task)

    async def _run(self, cycle: Cycle) -> None:
        try:
            await self.handle(cycle.scope, cycle.receive, cycle.send)
        except asyncio.CancelledError:
            if not cycle.complete:
                cycle.protocol.close()
            return
        except Exception:
            logger.exception("lastword could not serve a request")
            if not cycle.started:
                await _plain_500(cycle)
            else:
                cycle.protocol.close()
            return
        finally:
            self.tasks.discard(cycle.task)  # type: ignore[arg-type]
        if not cycle.complete and not cycle.hijacked:
            if not cycle.started and not cycle.protocol.closed and not cycle.disconnected:
                await _plain_500(cycle)
            else:
                cycle.protocol.close()
        elif cycle.hijacked:
            cycle.protocol.close()

    # --- connections --------------------------------------------------------------------------

    def connection_made(self, connection: HttpProtocol) -> None:
        self.connections.add(connection)
        if self.draining and time.monotonic() >= self.awaited_until:
            connection.close()

    def _awaiting_requests(self) -> list[HttpProtocol]:
        """While draining: the connections whose request has not (fully) arrived yet, waited for
        until ``awaited_until`` and closed after it."""
        awaited = [c for c in self.connections if c.phase == HEAD and not c.closed]
        if awaited and time.monotonic() >= self.awaited_until:
            for connection in awaited:
                if connection.head_bytes:
                    connection.refuse(408, "Request Timeout: the instance is shutting down.")
                else:
                    connection.close()
            return []
        return awaited

    def connection_lost(self, connection: HttpProtocol) -> None:
        self.connections.discard(connection)

    def _sweep(self) -> None:
        now = self.loop.time()
        for connection in list(self.connections):
            if connection.deadline and now > connection.deadline and connection.phase != ACTIVE:
                connection.timed_out(now)
        self._sweeper = self.loop.call_later(SWEEP_INTERVAL, self._sweep)


def _nothing() -> None:
    return None


async def _plain_500(cycle: Cycle) -> None:
    body = b"Internal Server Error"
    await cycle.send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", b"%d" % len(body))],
        }
    )
    await cycle.send({"type": "http.response.body", "body": body})


def build(
    loaded: LoadedFunction,
    config: Config,
    *,
    observer: Callable[[Invocation], None] | None = None,
    channel: Channel | None = None,
    main_thread: bool = False,
    share: int = 1,
) -> tuple[App, Server]:
    """The app and server for ``loaded``, the same for a worker and for lastword.testing.

    ``share`` is how many processes the instance's ``--concurrency`` is split between.
    """
    import os

    from .._app import App
    from .._instance import Instance

    limit = max(1, config.concurrency // share)
    instance = Instance(limit, limit, channel=channel, main_thread=main_thread)
    app = App(loaded, config, observer=observer, instance=instance)
    limits = Limits.from_environment(os.environ.get("LASTWORD_LIMITS"))
    server = Server(app, limits, shared_sockets=channel is not None)
    return app, server
