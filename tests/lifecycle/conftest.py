"""Clients serving the lifecycle fixture apps, shared by the tests of one module."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lastword.testing import Client

APPS = Path(__file__).parent / "apps"
SYNC_APP = APPS / "lc_sync_app.py"
ASYNC_APP = APPS / "lc_async_app.py"


@pytest.fixture(scope="module")
def client() -> Iterator[Callable[..., Client]]:
    """``client(app, target, **options)``: an in-process server, reused within the test module."""
    clients: dict[tuple[Any, ...], Client] = {}

    def make(app: Path, target: str, **options: Any) -> Client:
        key = (app, target, tuple(sorted(options.items())))
        if key not in clients:
            clients[key] = Client(str(app), target=target, allow_leftovers=True, **options)
        return clients[key]

    yield make
    for made in clients.values():  # stop them all at once, then wait
        if made._server is not None:
            made._server.request_stop()
    for made in clients.values():
        made.close()


def line_of(app: Path, function: str, text: str) -> int:
    """The line number of the first line containing ``text`` inside ``def function``."""
    lines = app.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"def {function}(")
                 or line.lstrip().startswith(f"async def {function}("))
    for number in range(start, len(lines)):
        if text in lines[number]:
            return number + 1
    raise AssertionError(f"{text!r} not found in {function}() of {app}")


def wait_for_log(caplog: pytest.LogCaptureFixture, needle: str, timeout: float = 3.0) -> logging.LogRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for record in caplog.records:
            if needle in record.getMessage():
                return record
        time.sleep(0.01)
    messages = "\n".join(r.getMessage() for r in caplog.records)
    raise AssertionError(f"no log line containing {needle!r}; got:\n{messages}")


def lastword_warnings(caplog: pytest.LogCaptureFixture, invocation: str | None = None) -> list[str]:
    """lastword's warnings (those about ``invocation`` only, when given: another test's work that
    ends late is logged against its own invocation)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "lastword"
        and r.levelno >= logging.WARNING
        and (invocation is None or getattr(getattr(r, "invocation", None), "id", None) == invocation)
    ]
