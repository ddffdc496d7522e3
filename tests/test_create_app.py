"""``lastword.create_app``: the function as an ASGI app for any ASGI server or test client."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import lastword
from conftest import APPS
from lastword._errors import TargetNotFound

LEAKY = '''
import asyncio, threading, time

def leaky(request):
    threading.Thread(target=time.sleep, args=(0.5,)).start()
    return "sent"

async def leaky_task(request):
    asyncio.get_running_loop().create_task(asyncio.sleep(0.5))
    return "sent"
'''


def test_in_process_with_an_asgi_test_client() -> None:
    app = lastword.create_app("echo", str(APPS / "http_async.py"))

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/p?q=1", content=b"body")

    response = asyncio.run(go())
    assert response.status_code == 200
    assert response.json()["body"] == "body" and response.json()["path"] == "/p"


def test_sync_function_and_options() -> None:
    app = lastword.create_app("hello", str(APPS / "http_basic.py"), background="error")
    assert app.config.background == "error" and not app.loaded.is_async

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/")

    assert asyncio.run(go()).text == "Hello, World!"


@pytest.mark.parametrize("target", ["ce_sync", "ce_async"])
def test_event_functions_in_an_asgi_test_client(tmp_path: Path, target: str) -> None:
    os.environ["EVENTS_OUT"] = str(tmp_path)
    try:
        app = lastword.create_app(target, str(APPS / "events.py"))
        assert app.loaded.signature_type == "cloudevent"

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.post("/", content=b'{"n": 1}', headers={
                    "ce-specversion": "1.0", "ce-id": "1", "ce-source": "//t", "ce-type": "t",
                    "content-type": "application/json",
                })

        response = asyncio.run(go())
    finally:
        os.environ.pop("EVENTS_OUT", None)
    assert (response.status_code, response.text) == (200, "OK")
    assert (tmp_path / f"{target}.json").exists()


def test_startup_errors_are_lastwords() -> None:
    with pytest.raises(TargetNotFound, match="function 'nope' is not defined"):
        lastword.create_app("nope", str(APPS / "http_basic.py"))


@pytest.mark.parametrize(("target", "loop"), [("leaky", "uvloop"), ("leaky_task", "asyncio")])
def test_hosted_by_uvicorn_with_tracking(tmp_path: Path, target: str, loop: str) -> None:
    """Another server's loop (uvloop or asyncio's own) still has the invocation's work tracked."""
    (tmp_path / "main.py").write_text(LEAKY)
    (tmp_path / "asgi.py").write_text(
        f"import lastword\napp = lastword.create_app({target!r}, 'main.py', log_format='text')\n"
    )
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "asgi:app", "--port", "0", "--loop", loop],
            cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + 20
        port = None
        while port is None and time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read_text())
            port = found and int(found.group(1))
            time.sleep(0.05)
        assert port, log.read_text()
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert response.text == "sent"
        deadline = time.monotonic() + 10
        while "still running when invocation" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        text = log.read_text()
        kind = "thread" if target == "leaky" else "asyncio task"
        assert f"{kind} " in text and "still running when invocation" in text, text
        assert f"main.py:{5 if target == 'leaky' else 9}" in text
    finally:
        process.terminate()
        process.wait(10)
