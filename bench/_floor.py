"""The cold-start floors: the least a runtime on uvicorn must do to answer a function's first request.

    python bench/_floor.py async SOURCE TARGET PORT
    python bench/_floor.py sync  SOURCE TARGET PORT

Nothing of lastword. Both load the user's module from SOURCE (as every runtime must), bind
127.0.0.1:PORT and serve a bare ASGI app with uvicorn + httptools on a uvloop loop (the server
lastword embeds), with no logging set up and no lifespan.

* async: ``await function(request)``, with a Starlette ``Request`` built from the scope (what
  lastword and ff --asgi pass to an async function).
* sync: the same server, plus the sync request's library: Flask is imported and a
  ``flask.Request`` is built from the scope (a WSGI environ), and the function runs on a
  thread of the loop's default executor (a sync function must not block the loop).

The function's return value must be str or bytes (the hello functions).
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import socket
import sys
from typing import Any


def _load(source: str, target: str) -> Any:
    spec = importlib.util.spec_from_file_location("main", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
    return getattr(module, target)


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(send: Any, result: Any) -> None:
    body = result.encode() if isinstance(result, str) else bytes(result)
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def async_app(function: Any) -> Any:
    from starlette.requests import Request

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await _respond(send, await function(Request(scope, receive)))

    return app


def sync_app(function: Any) -> Any:
    from flask import Request

    def environ(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
        env = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": "",
            "PATH_INFO": scope["path"],
            "QUERY_STRING": scope["query_string"].decode("latin-1"),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "0",
            "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
            "wsgi.url_scheme": scope.get("scheme", "http"),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        for name, value in scope["headers"]:
            key = name.decode("latin-1").upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            env[key] = value.decode("latin-1")
        return env

    def call(env: dict[str, Any]) -> Any:
        return function(Request(env))

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        env = environ(scope, await _body(receive))
        await _respond(send, await asyncio.get_running_loop().run_in_executor(None, call, env))

    return app


def main() -> None:
    kind, source, target, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    function = _load(source, target)
    app = async_app(function) if kind == "async" else sync_app(function)
    import uvicorn
    import uvloop

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    server = uvicorn.Server(
        uvicorn.Config(
            app, http="httptools", loop="none", lifespan="off", log_config=None, access_log=False
        )
    )
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
