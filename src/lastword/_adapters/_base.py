"""The seam between the invoker and a signature adapter."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from .._asgi import PLAIN, ASGIApp, Headers, content_length

if TYPE_CHECKING:
    from types import TracebackType

    from .._loader import LoadedFunction
    from .._request import Incoming


@dataclasses.dataclass(slots=True)
class Reply:
    """What the function's return value becomes: the response to send."""

    status: int
    headers: Headers
    body: bytes = b""
    stream: Iterator[bytes] | AsyncIterator[bytes] | None = None
    """A body sent in parts (a generator): a sync iterator is advanced on the thread pool."""
    asgi: ASGIApp | None = None
    """A response that sends itself (a Starlette ``Response``): called with the request's scope."""
    after: list[Callable[[], Any]] | None = None
    """Callables attached to run after the response (Flask ``call_on_close``)."""
    background: Any = None
    """A Starlette ``BackgroundTask(s)`` attached to the response."""


class Call(Protocol):
    """One call of the function, prepared by an adapter for one request.

    Entered where the function runs (a pool thread for a sync function, the event loop for an
    async one) and left once its return value is a :class:`Reply`: a Flask request context, for
    one, is active for the function and for making its response.
    """

    args: tuple[Any, ...]
    """The function's positional arguments."""

    def __enter__(self) -> Call: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def reply(self, result: Any) -> Reply:
        """The response for the function's return value (BadReturn if it is not one)."""
        ...

    def handled(self, result: Any) -> Reply:
        """The response for what an error handler returned (an HTTP response, whatever the
        signature type)."""
        ...

    def exception_reply(self, error: Exception) -> Reply | None:
        """The response an exception stands for (an ``HTTPException``), or None for a crash."""
        ...


class Adapter(Protocol):
    """Makes a :class:`Call` of the function for each request.

    ``call`` raises :class:`~lastword._errors.BadRequest` when the request cannot become the
    function's arguments (a malformed event): the function is not called, the client gets 400.
    """

    def call(self, request: Incoming) -> Call: ...


class AdapterFactory(Protocol):
    def __call__(self, loaded: LoadedFunction) -> Adapter: ...


def http_exception_reply(error: Exception) -> Reply | None:
    """The response a werkzeug or Starlette ``HTTPException`` stands for; None for any other
    exception (neither library is imported to find out)."""
    werkzeug = sys.modules.get("werkzeug.exceptions")
    if werkzeug is not None and isinstance(error, werkzeug.HTTPException):
        response = error.get_response()
        body = response.get_data()
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in response.headers.items()
            if k.lower() != "content-length"
        ]
        return Reply(response.status_code, [*headers, content_length(body)], body)
    starlette = sys.modules.get("starlette.exceptions")
    if starlette is not None and isinstance(error, starlette.HTTPException):
        body = str(error.detail).encode()
        headers = [PLAIN, content_length(body)]
        for key, value in (error.headers or {}).items():
            headers.append((key.lower().encode("latin-1"), str(value).encode("latin-1")))
        return Reply(error.status_code, headers, body)
    return None
