"""The signature adapter for sync HTTP functions: ``def f(request)`` with a Flask request.

The function runs on the thread pool inside a Flask application and request context, so
``flask.jsonify``, ``current_app``, ``abort`` and ``render_template`` (templates beside the source)
work as with functions-framework. Its return value becomes a response the way Flask makes one.
"""

from __future__ import annotations

import contextvars
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ._errors import BadReturn
from ._responses import Closers, describe_value, function_site, read_body

if TYPE_CHECKING:
    from ._invocation import Invocation
    from ._loader import LoadedFunction
    from ._pool import ThreadPool
    from ._responses import Send

_HTML = (b"content-type", b"text/html; charset=utf-8")

# (status, headers, body or None, body iterator or None, functions to call on close)
Prepared = tuple[int, list[tuple[bytes, bytes]], "bytes | None", "Iterator[bytes] | None", Closers]


class FlaskHttpAdapter:
    def __init__(self, loaded: LoadedFunction, pool: ThreadPool, max_body: int):

        self.function = loaded.function
        self.name = loaded.name
        self.pool = pool
        self.max_body = max_body
        self.flask = _FunctionApp(
            loaded.module.__name__,
            root_path=str(loaded.source_dir),
            template_folder="templates",
        )
        from werkzeug.exceptions import HTTPException

        self._http_exception = HTTPException

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[..., Any], send: Send, invocation: Invocation
    ) -> None:
        body = await read_body(receive, self.max_body)
        environ = environ_from_scope(scope, body)
        status, headers, content, stream, closers = await self.pool.run(
            contextvars.copy_context(), self._respond, environ, invocation
        )
        if closers:
            send.attach_after_response(closers, invocation)
        if stream is None:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content or b""})
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        context = contextvars.copy_context()
        try:
            while True:
                chunk = await self.pool.run(context, next, stream, None)
                if chunk is None:
                    break
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                await self.pool.run(context, close)
        await send({"type": "http.response.body", "body": b""})

    def _respond(self, environ: dict[str, Any], invocation: Invocation) -> Prepared:
        """On a pool thread: call the function in a request context and prepare its response."""
        app = self.flask
        with app.request_context(environ) as ctx:
            try:
                result = self.function(ctx.request)
                if result is None:
                    raise BadReturn("no-response", "")
                if inspect.isawaitable(result):
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()
                    raise BadReturn("returned-awaitable", describe_value(result))
                if (
                    type(result) is str
                    and not ctx._after_request_functions
                    and not app.after_request_funcs
                ):  # the common case, answered exactly as Flask would, minus its machinery
                    body = result.encode()
                    return 200, [_HTML, (b"content-length", str(len(body)).encode())], body, None, []
                response = app.make_response(result)
                response = app.process_response(response)
            except self._http_exception as exc:  # flask.abort(), bad JSON, ...
                response = exc.get_response(environ)
            closers: Closers = list(getattr(response, "_on_close", ()))
            if closers:
                response._on_close = []
            app_iter, status, headers = response.get_wsgi_response(environ)
            raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
            code = int(status.split(" ", 1)[0])
            if response.is_sequence or isinstance(app_iter, list):
                return code, raw, b"".join(app_iter), None, closers
            return code, raw, None, iter(app_iter), closers


def _function_app_class() -> type:
    import flask

    class FunctionApp(flask.Flask):
        """A Flask app with no URL routing: every path reaches the one function."""

        def create_url_adapter(self, request: Any) -> Any:
            if request is not None:
                return None
            return super().create_url_adapter(request)

    return FunctionApp


def _FunctionApp(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - a lazily built class
    return _function_app_class()(*args, **kwargs)


def environ_from_scope(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    """A WSGI environ for an ASGI HTTP scope whose body has been read."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    path = scope["path"]
    raw_path = scope.get("raw_path")
    query = scope["query_string"]
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if raw_path is not None:
        uri = raw_path + (b"?" + query if query else b"")
        environ["RAW_URI"] = environ["REQUEST_URI"] = uri.decode("latin-1")
    for name, value in scope["headers"]:
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key == "CONTENT_TYPE" or key == "CONTENT_LENGTH":
            environ[key] = text
            continue
        key = "HTTP_" + key
        if key in environ:
            environ[key] += "," + text
        else:
            environ[key] = text
    if "CONTENT_LENGTH" not in environ and body:
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


__all__ = ["FlaskHttpAdapter", "environ_from_scope", "function_site"]
