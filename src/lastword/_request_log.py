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

import dataclasses
import logging
import os
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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


def _plain(text: str, **_: Any) -> str:
    return text


@dataclasses.dataclass(frozen=True)
class RequestLine:
    method: str
    path: str
    status: int
    seconds: float
    id: str
    notes: tuple[tuple[str, str], ...]
    """(text, color) of what to say after the id: the outcome, the work left behind."""
    url: str
    protocol: str
    user_agent: str | None
    referer: str | None
    remote_ip: str | None
    size: int

    def render(self, style: Style = _plain, aligned: bool = True) -> str:
        """The line; ``style`` colors it (``click.style``), ``aligned`` pads it into columns."""
        duration = f"{self.seconds * 1000:.1f} ms" if self.seconds < 1 else f"{self.seconds:.2f} s"
        status = str(self.status)
        color = "red" if self.status >= 500 else "yellow" if self.status >= 400 else "cyan" if self.status >= 300 else "green"
        if aligned:
            line = (
                f"{style(self.method.ljust(6), bold=True)} {self.path.ljust(24)}  "
                f"{style(status, fg=color, bold=self.status >= 500)}  {duration.rjust(9)}  "
                f"{style(self.id, dim=True)}"
            )
        else:
            line = f"{self.method} {self.path} {status} {duration} {self.id}"
        for text, fg in self.notes:
            line += ("  " if aligned else " ") + style(text, fg=fg)
        return line

    def http_request(self) -> dict[str, Any]:
        """Cloud Logging's ``HttpRequest`` (LogEntry.httpRequest)."""
        entry: dict[str, Any] = {
            "requestMethod": self.method,
            "requestUrl": self.url,
            "status": self.status,
            "latency": f"{self.seconds:.6f}s",
            "protocol": self.protocol,
            "responseSize": str(self.size),
        }
        if self.user_agent is not None:
            entry["userAgent"] = self.user_agent
        if self.remote_ip is not None:
            entry["remoteIp"] = self.remote_ip
        if self.referer is not None:
            entry["referer"] = self.referer
        return entry


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


def request_line(invocation: Invocation) -> RequestLine:
    scope = invocation.scope or {}
    path = scope.get("path", "/")
    query = scope.get("query_string", b"")
    if query:
        path += "?" + query.decode("latin-1")
    host = _header(scope, b"host")
    if host is None and scope.get("server"):
        server_host, port = scope["server"][:2]
        host = f"{server_host}:{port}" if port else str(server_host)
    client = scope.get("client")
    return RequestLine(
        method=scope.get("method", "-"),
        path=path,
        status=invocation.status or 0,
        seconds=invocation.duration,
        id=invocation.id,
        notes=notes_of(invocation),
        url=f"{scope.get('scheme', 'http')}://{host or 'localhost'}{path}",
        protocol=f"HTTP/{scope.get('http_version', '1.1')}",
        user_agent=_header(scope, b"user-agent"),
        referer=_header(scope, b"referer"),
        remote_ip=client[0] if client else None,
        size=invocation.sent,
    )


def level_of(invocation: Invocation) -> int:
    if (invocation.status or 0) >= 500:
        return logging.ERROR
    if invocation.work and (invocation.left or invocation.cancelled or invocation.unawaited()):
        return logging.WARNING
    return logging.INFO


class RequestLog(Observer):
    """Logs one request line per invocation (see the module docstring)."""

    def responded(self, invocation: Invocation) -> None:
        level = level_of(invocation)
        if not logger.isEnabledFor(level):
            return
        line = request_line(invocation)
        logger.log(
            level,
            line.render(aligned=False),
            extra={"invocation": invocation, "request_line": line, "source_location": None},
        )
