"""What lastword writes on a connection itself, and the limits on what it reads: no event loop, no
parser — the supervisor uses these too, and must not import either."""

from __future__ import annotations

import http
import socket
import time
from typing import Any


class Limits:
    """What a client may send, and how slowly (see docs/serving.md for the values' reasons)."""

    max_request_line = 8 * 1024
    max_head = 64 * 1024
    max_headers = 200
    head_timeout = 10.0
    """Seconds from a request's first byte (or the connection) to the end of its head."""
    body_timeout = 20.0
    """Seconds a body may take, plus one per ``body_min_rate`` bytes received."""
    body_min_rate = 1024
    keep_alive = 20.0
    """Seconds an idle keep-alive connection stays open."""
    high_water = 256 * 1024
    """Buffered request body above which reading pauses until the app reads."""

    @classmethod
    def from_environment(cls, text: str | None) -> Limits:
        """These limits, with ``LASTWORD_LIMITS="head_timeout=2,keep_alive=5"`` applied."""
        limits = cls()
        for item in (text or "").split(","):
            name, _, value = item.partition("=")
            name = name.strip()
            if not name:
                continue
            if not hasattr(cls, name) or name.startswith("_") or name == "from_environment":
                raise ValueError(f"LASTWORD_LIMITS: {name!r} is not a limit")
            setattr(limits, name, type(getattr(cls, name))(float(value)))
        return limits


STATUS_LINES: dict[int, bytes] = {}
"""The status lines made so far, by status."""


def status_line(status: int) -> bytes:
    line = STATUS_LINES.get(status)
    if line is None:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        line = STATUS_LINES[status] = b"HTTP/1.1 %d %s\r\n" % (status, phrase.encode())
    return line


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_header(_state: list[Any] = [0, b""]) -> bytes:  # noqa: B006 - a per-second cache
    """``date: Tue, 01 Dec 2026 02:54:33 GMT`` (RFC 9110's IMF-fixdate), made once a second."""
    now = int(time.time())
    if _state[0] != now:
        t = time.gmtime(now)
        _state[0] = now
        _state[1] = (
            f"date: {_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT\r\n"
        ).encode()
    return _state[1]  # type: ignore[no-any-return]


def plain_response(status: int, text: str, close: bool = True) -> bytes:
    """A complete small response written by lastword itself (never an echo of the request)."""
    body = text.encode()
    return (
        status_line(status)
        + b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n" % len(body)
        + date_header()
        + (b"connection: close\r\n" if close else b"")
        + b"\r\n"
        + body
    )


def shutdown_fd(fd: int) -> None:
    """Shut a socket down by descriptor (its other holders see the end too)."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()
