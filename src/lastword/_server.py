"""Serving: bind the socket once, then run the app in this process or in worker processes.

The embedded HTTP server is uvicorn with httptools on a uvloop event loop that we create
ourselves (see docs/server-choice.md). lastword owns the socket and the worker processes, so a
supervisor can later kill a stuck worker at its deadline, freeze one between requests and drain
on SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from typing import Any

from ._config import Config
from ._errors import STARTUP_FAILURE, StartupError


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"cannot listen on {host}:{port}: {exc.strerror}. "
            "Is another server using that port? Pick another with --port (or PORT)."
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def startup_line(config: Config, sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return (
        f"lastword: serving {config.target} ({config.signature_type}) from {config.source} "
        f"at http://{shown}:{port} — {config.workers} worker{'s' if config.workers > 1 else ''}, "
        f"{config.threads} threads, background policy {config.background}"
    )


def run_worker(config: Config, sock: socket.socket, loaded: Any = None) -> None:
    """Serve until SIGINT/SIGTERM in this process (a worker, or the only process)."""
    from . import _logging, _tracking
    from ._loader import load
    from ._serving.server import build

    _logging.configure(config)
    if loaded is None:
        loaded, config = load(config)
    if config.tracking:
        _tracking.install()
    app, server = build(loaded, config)
    loop = _tracking.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()

    async def main() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await server.start()
        await server.listen(sock)
        await stop.wait()
        await server.drain(config.grace)
        await server.stop()

    try:
        loop.run_until_complete(main())
    finally:
        _tracking.close_loop(loop)


def _stopped(signum: int, frame: Any) -> None:
    """The server has already drained; nothing is left to do."""


def _worker_main(config: Config, sock: socket.socket) -> None:
    try:
        run_worker(config, sock)
    except StartupError as exc:
        print(f"lastword: error: {exc}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)


class Supervisor:
    """Runs ``config.workers`` worker processes on one shared socket; respawns the ones that die."""

    def __init__(self, config: Config, sock: socket.socket):
        self.config = config
        self.sock = sock
        import multiprocessing

        self.context = multiprocessing.get_context("spawn")
        self.workers: list[Any] = []
        self.stopping = False

    def spawn(self) -> Any:
        process = self.context.Process(
            target=_worker_main, args=(self.config, self.sock), name="lastword-worker", daemon=False
        )
        process.start()
        return process

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._handle_stop)
        self.workers = [self.spawn() for _ in range(self.config.workers)]
        status = 0
        while not self.stopping:
            time.sleep(0.2)
            for index, process in enumerate(self.workers):
                if process.is_alive() or self.stopping:
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    self.stopping = True
                    status = STARTUP_FAILURE
                    break
                print(
                    f"lastword: worker {process.pid} exited with {process.exitcode}; starting another",
                    file=sys.stderr,
                )
                self.workers[index] = self.spawn()
        for process in self.workers:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + min(self.config.timeout, 30) + 5
        for process in self.workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        return status

    def _handle_stop(self, signum: int, frame: Any) -> None:
        self.stopping = True


def serve(config: Config) -> int:
    """Load the function (so start-up errors come before the port opens), bind, serve."""
    from ._loader import load

    loaded, config = load(config)
    from ._app import check_servable

    check_servable(loaded)
    sock = bind(config.host, config.port)
    print(startup_line(config, sock), file=sys.stderr, flush=True)
    if config.workers == 1:
        run_worker(config, sock, loaded)
        return 0
    return Supervisor(config, sock).run()
