"""The signature adapter for async HTTP functions: ``async def f(request)`` with a Starlette request.

The function runs on the event loop. It may return str, bytes, dict or list (JSON), a
``(body, status)`` or ``(body, status, headers)`` tuple, or any Starlette ``Response`` including a
``StreamingResponse``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._errors import BadReturn
from ._responses import describe_value, start_background

if TYPE_CHECKING:
    from ._invocation import Invocation
    from ._loader import LoadedFunction
    from ._responses import Send


_TEXT = (b"content-type", b"text/plain; charset=utf-8")


class StarletteHttpAdapter:
    def __init__(self, loaded: LoadedFunction):
        from starlette.requests import Request
        from starlette.responses import JSONResponse, Response

        self.function = loaded.function
        self.name = loaded.name
        self._request = Request
        self._response = Response
        self._json = JSONResponse

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[..., Any], send: Send, invocation: Invocation
    ) -> None:
        result = self.function(self._request(scope, receive))
        if inspect.isawaitable(result):
            result = await result
        if type(result) is str:  # the common case, without building a Response object
            body = result.encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [_TEXT, (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        response = self.to_response(result)
        background = response.background
        if background is not None:
            response.background = None
            start_background(invocation, background)
        await response(scope, receive, send)

    def to_response(self, result: Any) -> Any:
        if isinstance(result, self._response):
            return result
        if result is None:
            raise BadReturn("no-response", "")
        if inspect.isawaitable(result):  # `return other()` without await
            close = getattr(result, "close", None)
            if close is not None:
                close()
            raise BadReturn("returned-awaitable", describe_value(result))
        if isinstance(result, tuple) and 2 <= len(result) <= 3:
            response = self.to_response(result[0])
            response.status_code = int(result[1])
            if len(result) == 3:
                for key, value in dict(result[2]).items():
                    response.headers[key] = str(value)
            return response
        if isinstance(result, str):
            return self._response(result, media_type="text/plain")
        if isinstance(result, (bytes, bytearray, memoryview)):
            return self._response(bytes(result))
        if isinstance(result, (dict, list)):
            return self._json(result)
        raise TypeError(
            f"{self.name}() returned {type(result).__name__}, which is not a response: return str, "
            "bytes, a dict or list (sent as JSON), a (body, status[, headers]) tuple, or a "
            "starlette Response"
        )
