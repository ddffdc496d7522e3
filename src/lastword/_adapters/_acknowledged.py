"""What the adapters of the non-HTTP signature types share.

An event (or typed) function receives its input by POST only (functions-framework routes no other
method to it): another method gets 405 with ``Allow: POST`` and the function is not called. Its
return ends the invocation: for an event the 2xx is the acknowledgement (a Pub/Sub push is acked by
it, and redelivered otherwise), so the work it leaves running "may not execute" exactly as for an
HTTP function. What an error handler returns is an HTTP response, made the way an HTTP function's
return value is (Flask for a sync function, Starlette for an async one); an ``HTTPException``
raised by the function (werkzeug's ``abort(400)``, Starlette's) is the response it stands for.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._asgi import PLAIN, content_length
from .._errors import MethodNotAllowed
from ._base import Reply, http_exception_reply

if TYPE_CHECKING:
    from .._loader import LoadedFunction
    from .._request import Incoming
    from .http import FlaskAdapter, FlaskCall, LazyFlaskCall, StarletteAdapter

_OK = b"OK"
_OK_LENGTH = content_length(_OK)


class Acknowledged:
    """The base of the event and typed adapters: one per served function."""

    receives = "requests"
    """What the function receives, for the 405 message ("CloudEvents", "events", ...)."""

    def __init__(self, loaded: LoadedFunction):
        self.loaded = loaded
        self.name = loaded.name
        self.signature_type = loaded.signature_type
        self.flask_context = bool(loaded.error_handlers) and not loaded.is_async
        """A sync function with error handlers runs in a Flask request context, as under
        functions-framework, so its handlers may use ``flask.request`` or ``jsonify``."""
        self._flask: FlaskAdapter | None = None
        self._starlette: StarletteAdapter | None = None

    def check_method(self, request: Incoming) -> None:
        method = request.scope["method"]
        if method != "POST":
            shown = method if len(method) <= 20 else method[:17] + "..."
            article = "an" if self.signature_type[0] in "aeiou" else "a"
            raise MethodNotAllowed(
                f"Method Not Allowed: {self.name}() is {article} {self.signature_type} function; "
                f"it receives {self.receives} by POST, not {shown}."
            )

    def flask(self) -> FlaskAdapter:
        if self._flask is None:
            from .http import FlaskAdapter

            self._flask = FlaskAdapter(self.loaded)
        return self._flask

    def starlette(self) -> StarletteAdapter:
        if self._starlette is None:
            from .http import StarletteAdapter

            self._starlette = StarletteAdapter(self.loaded)
        return self._starlette


class AcknowledgedCall:
    """One call of an event function: returning acknowledges with ``200 OK``."""

    __slots__ = ("calls", "request", "args", "flask_call")

    def __init__(self, calls: Acknowledged, request: Incoming, args: tuple[Any, ...]):
        self.calls = calls
        self.request = request
        self.args = args
        self.flask_call: FlaskCall | LazyFlaskCall | None = None

    def __enter__(self) -> AcknowledgedCall:
        if self.calls.flask_context:
            self.flask_call = self.calls.flask().call(self.request).__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.flask_call is not None:
            self.flask_call.__exit__(kind, error, traceback)
            self.flask_call = None

    def reply(self, result: Any) -> Reply:
        """Whatever an event function returns, the event is acknowledged (as functions-framework
        does, which ignores the return value)."""
        return Reply(200, [PLAIN, _OK_LENGTH], _OK)

    def handled(self, result: Any) -> Reply:
        if self.flask_call is not None:
            return self.flask_call.handled(result)
        if self.calls.loaded.is_async:
            return self.calls.starlette().call(self.request).handled(result)
        with self.calls.flask().call(self.request) as call:
            return call.handled(result)

    def exception_reply(self, error: Exception) -> Reply | None:
        return http_exception_reply(error)
