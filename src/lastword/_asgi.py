"""The ASGI vocabulary, in one place: the types at every seam between server, app and adapters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Header = tuple[bytes, bytes]
Headers = list[Header]

PLAIN: Header = (b"content-type", b"text/plain; charset=utf-8")


def content_length(body: bytes) -> Header:
    return (b"content-length", str(len(body)).encode())
