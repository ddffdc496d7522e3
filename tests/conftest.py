"""Fixtures: real lastword servers in subprocesses on loopback, and paths to the test apps."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

APPS = Path(__file__).parent / "apps"
_STARTED = re.compile(r"lastword: serving .* at http://(\S+?):(\d+)")


class Served:
    """A ``lastword serve`` process and what it wrote."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path):
        self.process = process
        self.log = log
        self.url = ""

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, needle: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.logs()
            if needle in text:
                return text
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} never appeared in the log:\n{self.logs()}")

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, **kwargs)

    def get(self, path: str = "/", **kwargs: Any) -> httpx.Response:
        with self.client() as client:
            return client.get(path, **kwargs)

    def request(self, method: str, path: str = "/", **kwargs: Any) -> httpx.Response:
        with self.client() as client:
            return client.request(method, path, **kwargs)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def lastword_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "lastword", *args]


def start_server(
    tmp_path: Path, args: list[str], env: dict[str, str] | None = None, timeout: float = 20.0
) -> Served:
    log = tmp_path / f"server-{time.monotonic_ns()}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    for inherited in ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"):
        if inherited not in (env or {}):
            full_env.pop(inherited, None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            lastword_command("serve", "--host", "127.0.0.1", "--port", "0", *args),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=tmp_path,
        )
    served = Served(process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = _STARTED.search(served.logs())
        if match:
            served.url = f"http://{match.group(1)}:{match.group(2)}"
            if _ready(served.url):
                return served
        if process.poll() is not None:
            raise AssertionError(f"lastword exited with {process.returncode}:\n{served.logs()}")
        time.sleep(0.02)
    served.stop()
    raise AssertionError(f"lastword did not start in {timeout} s:\n{served.logs()}")


def _ready(url: str) -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=0.2):
            return True
    except OSError:
        return False


def _restoring_loaded_environment() -> Iterator[None]:
    names = ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE")
    before = {name: os.environ.get(name) for name in names}
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _loaded_environment() -> Iterator[None]:
    """Loading a function in this process puts FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE into
    os.environ (as functions-framework does): put them back after each test..."""
    yield from _restoring_loaded_environment()


@pytest.fixture(autouse=True, scope="module")
def _loaded_environment_of_module() -> Iterator[None]:
    """... and after each module, whose module-scoped clients load functions too."""
    yield from _restoring_loaded_environment()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """``serve(APPS / "http_basic.py", "--target", "hello", env={...})`` -> :class:`Served`."""
    servers: list[Served] = []

    def start(source: Path | str, *args: str, env: dict[str, str] | None = None) -> Served:
        served = start_server(tmp_path, [str(source), *args], env)
        servers.append(served)
        return served

    yield start
    for served in servers:
        served.stop()


def run_lastword(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        lastword_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``EVENTS_OUT``: the folder where the event test functions write what they received."""
    folder = tmp_path_factory.mktemp("events-out")
    previous = os.environ.get("EVENTS_OUT")
    os.environ["EVENTS_OUT"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("EVENTS_OUT", None)
    else:
        os.environ["EVENTS_OUT"] = previous
