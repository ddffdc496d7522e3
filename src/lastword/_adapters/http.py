"""The ``http`` signature type: ``def f(request)`` and ``async def f(request)``.

A sync function gets a Flask request and runs inside a Flask application and request context, so
``flask.jsonify``, ``current_app``, ``abort`` and ``render_template`` (templates beside the source)
work as with functions-framework; its return value becomes a response the way Flask makes one. An
async function gets a Starlette request and may return str, bytes, dict or list (JSON), a
``(body, status[, headers])`` tuple, or any Starlette ``Response`` (``StreamingResponse`` too).
"""

from __future__ import annotations

import io
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._asgi import Scope, content_length
from .._errors import BadReturn
from ._base import Reply, http_exception_reply
from ._lazy import LazyRequest, module_uses

if TYPE_CHECKING:
    from .._loader import LoadedFunction
    from .._request import Incoming

_HTML = (b"content-type", b"text/html; charset=utf-8")


def HttpAdapter(loaded: LoadedFunction) -> FlaskAdapter | StarletteAdapter:  # noqa: N802
    """What an HTTP function receives depends on where it runs: Flask for sync, Starlette for
    async (as with functions-framework)."""
    return StarletteAdapter(loaded) if loaded.is_async else FlaskAdapter(loaded)


# --- sync: Flask ------------------------------------------------------------------------------


class FlaskAdapter:
    """Makes a call per request; holds the one Flask app of the function.

    Flask is imported when the function's module uses it, or when a request first needs it
    (the function read its request, or returned something only Flask turns into a response):
    see :mod:`._lazy`.
    """

    def __init__(self, loaded: LoadedFunction):
        self.loaded = loaded
        self.app: Any = None
        self.http_exception: Any = _Never
        self.lock = threading.Lock()
        if module_uses("flask", loaded.source, "flask" in sys.modules):
            self.load()

    def load(self) -> None:
        if self.app is not None:
            return
        with self.lock:
            if self.app is None:
                from werkzeug.exceptions import HTTPException

                loaded = self.loaded
                self.http_exception = HTTPException
                self.app = _function_app_class()(
                    loaded.module.__name__,
                    root_path=str(loaded.source_dir),
                    template_folder="templates",
                )

    def request(self, environ: dict[str, Any]) -> Any:
        self.load()
        return self.app.request_class(environ)

    def call(self, request: Incoming) -> FlaskCall | LazyFlaskCall:
        environ = environ_from_scope(request.scope, request.body)
        if self.app is not None:
            return FlaskCall(self, environ)
        return LazyFlaskCall(self, environ)


class _Never(Exception):
    """What nothing raised is an instance of (werkzeug's HTTPException before Flask is loaded)."""


class FlaskCall:
    __slots__ = ("calls", "environ", "context", "args")

    def __init__(self, calls: FlaskAdapter, environ: dict[str, Any]):
        self.calls = calls
        self.environ = environ
        self.context: Any = None
        self.args: tuple[Any, ...] = ()

    def __enter__(self) -> FlaskCall:
        self.context = self.calls.app.request_context(self.environ)
        self.context.push()
        self.args = (self.context.request,)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.context.pop(error)
        self.args = ()

    def reply(self, result: Any) -> Reply:
        if result is None:
            raise BadReturn("no-response", "")
        app = self.calls.app
        if (
            type(result) is str
            and not self.context._after_request_functions
            and not app.after_request_funcs
        ):  # the common case, answered exactly as Flask would, minus its machinery
            return _html(result)
        try:
            response = app.process_response(app.make_response(result))
        except self.calls.http_exception as exc:  # raised by an after_request hook
            response = exc.get_response(self.environ)
        return self._reply(response)

    handled = reply

    def exception_reply(self, error: Exception) -> Reply | None:
        if isinstance(error, self.calls.http_exception):  # flask.abort(), bad JSON, ...
            return self._reply(error.get_response(self.environ))
        return None

    def _reply(self, response: Any) -> Reply:
        after = list(getattr(response, "_on_close", ()))
        if after:
            response._on_close = []
        app_iter, status, headers = response.get_wsgi_response(self.environ)
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        code = int(status.split(" ", 1)[0])
        if response.is_sequence or isinstance(app_iter, list):
            return Reply(code, raw, b"".join(app_iter), after=after or None)
        return Reply(code, raw, stream=iter(app_iter), after=after or None)


class LazyFlaskCall:
    """A call of a function whose module does not use Flask: Flask is not loaded unless this
    request needs it (see :mod:`._lazy`)."""

    __slots__ = ("calls", "environ", "args")

    def __init__(self, calls: FlaskAdapter, environ: dict[str, Any]):
        self.calls = calls
        self.environ = environ
        self.args = (LazyRequest(lambda: calls.request(environ)),)

    def __enter__(self) -> LazyFlaskCall:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def reply(self, result: Any) -> Reply:
        if result is None:
            raise BadReturn("no-response", "")
        if type(result) is str and (self.calls.app is None or not self.calls.app.after_request_funcs):
            return _html(result)  # what Flask answers for a str
        reply: Reply = self._in_flask(lambda call: call.reply(result))
        return reply

    handled = reply

    def exception_reply(self, error: Exception) -> Reply | None:
        exceptions = sys.modules.get("werkzeug.exceptions")
        if exceptions is None or not isinstance(error, exceptions.HTTPException):
            return None  # not werkzeug's (werkzeug is not even loaded): a crash
        reply: Reply | None = self._in_flask(lambda call: call.exception_reply(error))
        return reply

    def _in_flask(self, how: Any) -> Any:
        self.calls.load()
        with FlaskCall(self.calls, self.environ) as call:
            return how(call)


def _html(text: str) -> Reply:
    body = text.encode()
    return Reply(200, [_HTML, content_length(body)], body)


def _function_app_class() -> type:
    import flask

    class FunctionApp(flask.Flask):
        """A Flask app with no URL routing: every path reaches the one function."""

        def create_url_adapter(self, request: Any) -> Any:
            if request is not None:
                return None
            return super().create_url_adapter(request)

    return FunctionApp


def environ_from_scope(scope: Scope, body: bytes) -> dict[str, Any]:
    """A WSGI environ for an ASGI HTTP scope whose body has been read (whole, however it came)."""
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
        "wsgi.input_terminated": True,  # the body is all there, chunked or not: read it to its end
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if raw_path is not None:
        uri = raw_path + (b"?" + query if query else b"")
        environ["RAW_URI"] = environ["REQUEST_URI"] = uri.decode("latin-1")
    declared = False
    for name, value in scope["headers"]:
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key == "CONTENT_TYPE":
            environ[key] = text
            continue
        if key == "CONTENT_LENGTH":
            declared = True
            continue  # set below from the body as read
        key = "HTTP_" + key
        if key in environ:
            environ[key] += "," + text
        else:
            environ[key] = text
    if body or declared:
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


# --- async: Starlette -------------------------------------------------------------------------

_TEXT = (b"content-type", b"text/plain; charset=utf-8")


class StarletteAdapter:
    """Makes a :class:`StarletteCall` per request. Starlette is imported when the function's
    module uses it, or when a request first needs it (see :mod:`._lazy`)."""

    def __init__(self, loaded: LoadedFunction):
        self.name = loaded.name
        self.request: Any = None
        self.response: Any = None
        self.json: Any = None
        self.lazy = not module_uses("starlette", loaded.source, "starlette" in sys.modules)
        if not self.lazy:
            self.load()

    def load(self) -> None:
        if self.request is None:
            from starlette.requests import Request
            from starlette.responses import JSONResponse, Response

            self.response = Response
            self.json = JSONResponse
            self.request = Request

    def make_request(self, scope: Scope, receive: Any) -> Any:
        self.load()
        return self.request(scope, receive)

    def call(self, request: Incoming) -> StarletteCall:
        return StarletteCall(self, request)


class StarletteCall:
    __slots__ = ("calls", "args")

    def __init__(self, calls: StarletteAdapter, request: Incoming):
        self.calls = calls
        if calls.lazy:
            scope, receive = request.scope, request.receive
            self.args = (LazyRequest(lambda: calls.make_request(scope, receive)),)
        else:
            self.args = (calls.request(request.scope, request.receive),)

    def __enter__(self) -> StarletteCall:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def reply(self, result: Any) -> Reply:
        if type(result) is str:  # the common case, without building a Response object
            body = result.encode()
            return Reply(200, [_TEXT, content_length(body)], body)
        self.calls.load()
        response = self.to_response(result)
        background, response.background = response.background, None
        return Reply(response.status_code, [], asgi=response, background=background)

    handled = reply

    def exception_reply(self, error: Exception) -> Reply | None:
        return http_exception_reply(error)  # Starlette's detail and status, as FF's ASGI mode

    def to_response(self, result: Any) -> Any:
        calls = self.calls
        if isinstance(result, calls.response):
            return result
        if result is None:
            raise BadReturn("no-response", "")
        if isinstance(result, tuple) and 2 <= len(result) <= 3:
            response = self.to_response(result[0])
            response.status_code = int(result[1])
            if len(result) == 3:
                for key, value in dict(result[2]).items():
                    response.headers[key] = str(value)
            return response
        if isinstance(result, str):
            return calls.response(result, media_type="text/plain")
        if isinstance(result, (bytes, bytearray, memoryview)):
            return calls.response(bytes(result))
        if isinstance(result, (dict, list)):
            return calls.json(result)
        raise TypeError(
            f"{calls.name}() returned {type(result).__name__}, which is not a response: return "
            "str, bytes, a dict or list (sent as JSON), a (body, status[, headers]) tuple, or a "
            "starlette Response"
        )
