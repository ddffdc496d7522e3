"""A worker process: forked by the supervisor, it loads the function and serves the connections the
supervisor hands it, until it is told to drain.

It tells the supervisor when it is ready (the function is loaded: only then does the supervisor
listen), when it has gone idle (under ``--cpu request`` the supervisor then freezes it), and when
it must be replaced (a function that could not be stopped at its deadline).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from typing import TYPE_CHECKING, Any, NoReturn

from .._errors import STARTUP_FAILURE, StartupError
from . import channel as messages
from .channel import Table, WorkerChannel

if TYPE_CHECKING:
    from .._config import Config
    from .server import Server

FREEZE_AFTER = 0.005
"""Seconds a worker must have been idle before it offers to be frozen (a request that follows at
once — the next one of a busy client — finds it running)."""


def main(config: Config, sock: socket.socket, table: Table, share: int) -> NoReturn:
    """The worker's life, in the forked child. Never returns."""
    status = 1
    try:
        status = _serve(config, sock, table, share)
    except BaseException:  # noqa: BLE001 - a worker must end with a status, not unwind into the
        traceback.print_exc()  # supervisor's code it was forked from
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
    os._exit(status)


def _serve(config: Config, sock: socket.socket, table: Table, share: int) -> int:
    from .. import _logging, _tracking
    from .._loader import load
    from .server import build

    _logging.configure(config)
    app: Any
    channel = WorkerChannel(sock, table)
    try:
        loaded, config = load(config)
    except StartupError as exc:
        print(f"lastword: error: {exc}", file=sys.stderr, flush=True)
        if not config.effective_reload:
            return STARTUP_FAILURE
        from .broken import BrokenApp
        from .server import Server

        app = BrokenApp(config, str(exc))  # until the next change loads it again
        server = Server(app, shared_sockets=True)
    else:
        if config.tracking:
            _tracking.install()
        app, server = build(loaded, config, channel=channel, main_thread=True, share=share)
    loop = _tracking.new_event_loop()
    asyncio.set_event_loop(loop)
    worker = Worker(config, app, server, channel, table)
    try:
        loop.run_until_complete(worker.run())
    finally:
        _tracking.close_loop(loop)
    return 0


class Worker:
    def __init__(self, config: Config, app: Any, server: Server, channel: WorkerChannel, table: Table):
        self.config = config
        self.app = app
        self.server = server
        self.channel = channel
        self.table = table
        self.stopping: asyncio.Future[float] | None = None
        self.idle_check: asyncio.TimerHandle | None = None
        self.freezes = 0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.stopping = loop.create_future()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
        loop.add_signal_handler(signal.SIGTERM, self.stop, self.config.grace)
        signal.signal(signal.SIGUSR2, self.app.on_interrupt_signal)
        await self.server.start()
        sock = self.channel.sock
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self.on_message)
        self.server.on_activity = self.reached
        if self.config.cpu == "request":
            self.app.instance.on_idle = self.idle_soon
            self.app.lifecycle.freezes = self.table.freezes
        self.channel.ready(
            {
                "pid": os.getpid(),
                "target": self.app.loaded.name,
                "signature_type": self.app.loaded.signature_type,
                "is_async": self.app.loaded.is_async,
                "background": self.config.background,
                "source": str(self.app.loaded.source),
                "loaded": not hasattr(self.app, "error"),
            }
        )
        grace = await self.stopping
        loop.remove_reader(sock.fileno())
        started = time.monotonic()
        await self.server.drain(grace)
        await self.server.stop(grace=max(0.0, grace - (time.monotonic() - started)))

    def stop(self, grace: float) -> None:
        if self.stopping is not None and not self.stopping.done():
            self.stopping.set_result(grace)

    def on_message(self) -> None:
        while True:
            try:
                received = self.channel.receive()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                received = None
            if received is None:  # the supervisor is gone: so is the port; stop serving
                self.stop(0.0)
                return
            data, fds = received
            kind = data[:1]
            if kind == messages.CONNECTION:
                connection = socket.socket(fileno=fds[0])
                connection.setblocking(False)
                self.server.take(connection, messages.conn_id_of(data))
            elif kind == messages.DRAIN:
                self.stop(float(data[1:] or self.config.grace))
            for extra in fds[1:] if kind == messages.CONNECTION else fds:
                os.close(extra)

    # --- freezing ------------------------------------------------------------------------------

    def reached(self) -> None:
        """The first connection or bytes after this worker said it was idle: it may have been
        frozen meanwhile (the next invocation asks the table whether it was)."""
        self.channel.activity()
        lifecycle = getattr(self.app, "lifecycle", None)
        if lifecycle is not None:
            lifecycle.may_have_frozen = True

    def idle_soon(self) -> None:
        if self.idle_check is None:
            self.idle_check = asyncio.get_running_loop().call_later(FREEZE_AFTER, self.check_idle)

    def check_idle(self) -> None:
        self.idle_check = None
        if self.server.draining:
            return
        if self.server.busy():
            return  # busy again (or still writing): the next invocation's end checks again
        self.server.watched = True  # before the supervisor can act on the message
        self.channel.idle()
