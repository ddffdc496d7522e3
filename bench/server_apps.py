"""Bare apps for bench/server_choice.py (and the "bare" ceiling row of bench/run.py).

ASGI apps (served by uvicorn and by granian --interface asgi):
  asgi_hello     -> 200 text/plain "Hello, World!"
  asgi_echo      -> reads the (10 KiB JSON) body, json.loads + json.dumps, echoes it
  asgi_echo_raw  -> reads the body and sends the same bytes back (no parsing)
  asgi_api       -> the "real function" workload (bench/functions/main.py api_*), no framework
  asgi_threaded  -> hops each request to a ThreadPoolExecutor(8) via loop.run_in_executor
                    (emulates how a framework runs a *sync* user function)
RSGI apps (granian --interface rsgi), same behaviour:
  rsgi_hello, rsgi_echo, rsgi_threaded
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HELLO = b"Hello, World!"
_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
_JSON = [(b"content-type", b"application/json")]
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bench-sync")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def _sync_hello() -> bytes:
    return HELLO


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        msg = await receive()
        if msg["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif msg["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        msg = await receive()
        chunks.append(msg.get("body", b""))
        if not msg.get("more_body"):
            return b"".join(chunks)


async def _respond(send: Send, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    # an explicit content-length, as frameworks send: without it uvicorn falls back to chunked
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def asgi_hello(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    await _respond(send, HELLO, _TEXT)


async def asgi_echo(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    body = await _read_body(receive)
    out = json.dumps(json.loads(body)).encode() if body else b"null"
    await _respond(send, out, _JSON)


async def asgi_echo_raw(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    body = await _read_body(receive)
    await _respond(send, body, _JSON)


def _functions_module() -> Any:
    """bench/functions/main.py, loaded by path: the same work as the runtimes do."""
    path = Path(__file__).resolve().parent / "functions" / "main.py"
    spec = importlib.util.spec_from_file_location("bench_functions_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_price_order = _functions_module().price_order


async def asgi_api(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    body = await _read_body(receive)
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    result = _price_order(doc)
    status = 200
    if isinstance(result, tuple):
        result, status = result
    out = json.dumps(result, separators=(",", ":")).encode()
    headers = [*_JSON, (b"content-length", str(len(out)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": out})


async def asgi_threaded(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    body = await asyncio.get_running_loop().run_in_executor(_POOL, _sync_hello)
    await _respond(send, body, _TEXT)


# ----------------------------------------------------------------------------- RSGI

_RTEXT = [("content-type", "text/plain; charset=utf-8")]
_RJSON = [("content-type", "application/json")]


async def rsgi_hello(scope: Any, proto: Any) -> None:
    proto.response_bytes(status=200, headers=_RTEXT, body=HELLO)


async def rsgi_echo(scope: Any, proto: Any) -> None:
    body = await proto()
    out = json.dumps(json.loads(body)).encode() if body else b"null"
    proto.response_bytes(status=200, headers=_RJSON, body=out)


async def rsgi_threaded(scope: Any, proto: Any) -> None:
    body = await asyncio.get_running_loop().run_in_executor(_POOL, _sync_hello)
    proto.response_bytes(status=200, headers=_RTEXT, body=body)
