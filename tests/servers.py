"""Servers in subprocesses for the tests that compare runtimes: functions-framework 3.10.2 and
lastword, each on its own loopback port, started together and stopped by their own PIDs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One server process; ``url`` once it accepts connections."""

    def __init__(self, name: str, argv: Sequence[str], cwd: Path, env: dict[str, str]):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = cwd / f"{name}.log"
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        for inherited in ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTION_SOURCE"):
            if inherited not in env:
                full_env.pop(inherited, None)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [a.replace("{port}", str(self.port)) for a in argv],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=full_env,
                start_new_session=True,  # its own process group: gunicorn's workers stop with it
            )

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.logs()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    pass
                # the port is bound; wait for an answer (gunicorn binds before its worker loads)
                httpx.get(f"{self.url}/robots.txt", timeout=5)
                return
            except (OSError, httpx.HTTPError):
                time.sleep(0.05)
        raise AssertionError(f"{self.name} did not start:\n{self.logs()}")

    def terminate(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group we created for it

    def stop(self) -> None:
        self.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def lastword_argv(source: Path, target: str, *flags: str) -> list[str]:
    return [
        sys.executable, "-m", "lastword", "serve", str(source), "--target", target,
        "--host", "127.0.0.1", "--port", "{port}", *flags,
    ]


def ff_argv(source: Path, target: str, *flags: str) -> list[str]:
    return [
        str(BIN / "functions-framework"), "--source", str(source), "--target", target,
        "--host", "127.0.0.1", "--port", "{port}", *flags,
    ]


def start_all(servers: list[Server], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    try:
        for server in servers:
            server.wait_ready(deadline)
    except BaseException:
        stop_all(servers)
        raise


def stop_all(servers: list[Server]) -> None:
    """SIGTERM to every one first, then wait for each: they stop in parallel."""
    for server in servers:
        server.terminate()
    for server in servers:
        server.stop()
