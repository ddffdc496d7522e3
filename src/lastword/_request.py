"""The request as lastword reads it: once, the same way for every signature type.

The body is read before the function is called, whether it comes with a ``Content-Length`` or
``Transfer-Encoding: chunked``, and the platform's limit (32 MiB) is enforced while reading: a
declared length over the limit is refused before a byte of the body is read, and a chunked body
as soon as it passes the limit.
"""

from __future__ import annotations

from ._asgi import Message, Receive, Scope
from ._errors import BodyTooLarge

MAX_BODY = 32 * 1024 * 1024
"""Cloud Run's request size limit for HTTP/1 (32 MiB)."""

_LENGTH = b"content-length"
_ENCODING = b"transfer-encoding"


class Incoming:
    """A request whose body has been read: the ASGI scope, the body, and a ``receive`` that
    replays the body to code that reads it the ASGI way (a Starlette request)."""

    __slots__ = ("scope", "body", "_receive", "_replayed")

    def __init__(self, scope: Scope, body: bytes, receive: Receive):
        self.scope = scope
        self.body = body
        self._receive = receive
        self._replayed = False

    def header(self, name: bytes) -> bytes | None:
        """The first value of header ``name`` (lower case), or None."""
        for key, value in self.scope["headers"]:
            if key == name:
                return value  # type: ignore[no-any-return]
        return None

    async def receive(self) -> Message:
        if not self._replayed:
            self._replayed = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        return await self._receive()  # after the body: the server's (a disconnect, eventually)


def declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` the client declared, or None (chunked, or no body)."""
    for key, value in scope["headers"]:
        if key == _LENGTH:
            try:
                return int(value)
            except ValueError:  # the server refuses these before the app sees them
                return None
    return None


def has_body(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == _ENCODING or (key == _LENGTH and value != b"0"):
            return True
    return False


async def read_body(scope: Scope, receive: Receive, limit: int = MAX_BODY) -> bytes:
    """The whole request body; :class:`BodyTooLarge` as soon as it is known to pass ``limit``."""
    if not has_body(scope):
        return b""
    length = declared_length(scope)
    if length is not None and length > limit:
        raise BodyTooLarge(f"the request body ({length} bytes) is over the {limit} byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(f"the request body is over the {limit} byte limit")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
