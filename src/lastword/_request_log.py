"""The request line: one per invocation as it ends, written by an observer of the lifecycle.

On a terminal (text logs) it is the dev view: method, path, status, duration, invocation id, and
what the invocation left behind, aligned and colored::

    GET    /orders?id=3              200    12.4 ms  a1b2c3d4e5f6
    POST   /checkout                 200     3.1 ms  0f9e8d7c6b5a  1 left running: main.py:31

In JSON logs it is a request log entry with Cloud Logging's ``httpRequest`` field. It goes to the
``lastword.request`` logger; logging's configuration decides whether it is shown
(``--no-request-log`` / ``LASTWORD_REQUEST_LOG=off``).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._logging import sole_handler
from ._observe import Observer

if TYPE_CHECKING:
    from ._invocation import Invocation, Work

logger = logging.getLogger("lastword.request")

_OUTCOMES = {
    "crash": "raised an exception",
    "no-response": "returned no response",
    "returned-awaitable": "returned an awaitable",
    "unawaited-coroutine": "never awaited a coroutine",
    "left-work": "500 for work left running (policy error)",
    "bad-request": "not called: bad request",
    "too-large": "not called: body too large",
}
"""What the line says about an invocation that did not end well."""

Style = Callable[..., str]
"""``click.style``'s signature: (text, fg=..., bold=..., dim=...) -> text."""


class RequestLine:
    """The request line of one invocation, rendered only when a handler formats it (it is the log
    record's message: ``str()`` gives it plain, unaligned)."""

    __slots__ = ("invocation",)

    def __init__(self, invocation: Invocation):
        self.invocation = invocation

    def __str__(self) -> str:
        return self.render(aligned=False)

    def render(self, style: Style | None = None, aligned: bool = True) -> str:
        """The line; ``style`` colors it (``click.style``), ``aligned`` pads it into columns."""
        invocation = self.invocation
        scope = invocation.scope or {}
        method = scope.get("method", "-")
        path = _path(scope)
        status = invocation.status or 0
        seconds = invocation.duration
        duration = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        notes = notes_of(invocation) if invocation.work or invocation.outcome != "ok" else ()
        if not aligned:
            line = f"{method} {path} {status} {duration} {invocation.id}"
            for text, _ in notes:
                line += " " + text
            return line
        if style is None:
            line = f"{method:<6} {path:<24}  {status}  {duration:>9}  {invocation.id}"
            for text, _ in notes:
                line += "  " + text
            return line
        color = "red" if status >= 500 else "yellow" if status >= 400 else "cyan" if status >= 300 else "green"
        line = (
            f"{style(f'{method:<6}', bold=True)} {path:<24}  "
            f"{style(str(status), fg=color, bold=status >= 500)}  {duration:>9}  "
            f"{style(invocation.id, dim=True)}"
        )
        for text, fg in notes:
            line += "  " + style(text, fg=fg)
        return line

    def http_request(self) -> dict[str, Any]:
        """Cloud Logging's ``HttpRequest`` (LogEntry.httpRequest)."""
        invocation = self.invocation
        scope = invocation.scope or {}
        path = _path(scope)
        host = _header(scope, b"host")
        if host is None and scope.get("server"):
            server_host, port = scope["server"][:2]
            host = f"{server_host}:{port}" if port else str(server_host)
        entry: dict[str, Any] = {
            "requestMethod": scope.get("method", "-"),
            "requestUrl": f"{scope.get('scheme', 'http')}://{host or 'localhost'}{path}",
            "status": invocation.status or 0,
            "latency": f"{invocation.duration:.6f}s",
            "protocol": f"HTTP/{scope.get('http_version', '1.1')}",
            "responseSize": str(invocation.sent),
        }
        for field, header in (("userAgent", b"user-agent"), ("referer", b"referer")):
            value = _header(scope, header)
            if value is not None:
                entry[field] = value
        client = scope.get("client")
        if client:
            entry["remoteIp"] = client[0]
        return entry


def _path(scope: Any) -> str:
    path: str = scope.get("path", "/")
    query = scope.get("query_string")
    return f"{path}?{query.decode('latin-1')}" if query else path


def _site(work: Work) -> str:
    site = work.site
    if site is None:
        return "?"
    filename = site.filename
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        relative = filename
    return f"{filename if relative.startswith('..') else relative}:{site.lineno}"


def _sites(works: list[Work]) -> str:
    counts = Counter(_site(w) for w in works)
    shown = [f"{site} x{count}" if count > 1 else site for site, count in counts.most_common(3)]
    if len(counts) > 3:
        shown.append("...")
    return ", ".join(shown)


def notes_of(invocation: Invocation) -> tuple[tuple[str, str], ...]:
    notes: list[tuple[str, str]] = []
    outcome = invocation.outcome
    if outcome in _OUTCOMES and outcome != "left-work":
        notes.append((_OUTCOMES[outcome], "red"))
    if not invocation.work:
        return tuple(notes)
    from ._lifecycle import leftovers_at_response

    unawaited = invocation.unawaited()
    if unawaited and outcome != "unawaited-coroutine":
        notes.append((f"never awaited: {_sites(unawaited)}", "red"))
    elif unawaited:
        notes[-1] = (f"{notes[-1][0]}: {_sites(unawaited)}", "red")
    left = leftovers_at_response(invocation)
    if left:
        how = "left running" if invocation.policy != "cancel" else "could not be cancelled"
        if outcome == "left-work":
            notes.append((f"500: {len(left)} {how}: {_sites(left)}", "red"))
        else:
            notes.append((f"{len(left)} {how}: {_sites(left)}", "yellow"))
    if invocation.cancelled:
        notes.append((f"{len(invocation.cancelled)} cancelled: {_sites(invocation.cancelled)}", "yellow"))
    if invocation.waited_for:
        notes.append((f"waited for {len(invocation.waited_for)}: {_sites(invocation.waited_for)}", "yellow"))
    return tuple(notes)


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def level_of(invocation: Invocation) -> int:
    if (invocation.status or 0) >= 500:
        return logging.ERROR
    if invocation.work and (invocation.left or invocation.cancelled or invocation.unawaited()):
        return logging.WARNING
    return logging.INFO


class RequestLog(Observer):
    """Logs one request line per invocation (see the module docstring)."""

    def responded(self, invocation: Invocation) -> None:
        level = level_of(invocation) if invocation.work or invocation.outcome != "ok" else logging.INFO
        if not logger.isEnabledFor(level):
            return
        line = RequestLine(invocation)
        handler = sole_handler(logger, level)
        if handler is not None:  # lastword's own handler, alone: the line without a log record
            handler.write_request_line(line, level, logger.name)
            return
        # made directly: the caller's frame (what logger.log looks up) is not a location anyway
        record = logger.makeRecord(
            logger.name, level, __file__, 0, line, (), None,
            extra={"invocation": invocation, "request_line": line, "source_location": None},
        )
        logger.handle(record)
