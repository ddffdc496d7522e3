"""Logging: lines as they happen, tagged with the invocation that wrote them.

``text`` is for people (a terminal, ``| tee``, an IDE's console, ``docker logs``): the request
line of each invocation aligned, and colored when the stream is a terminal. ``json`` writes one
object per line with Cloud Logging's field names (``severity``, ``message``, ``httpRequest``,
``logging.googleapis.com/trace``, ``logging.googleapis.com/sourceLocation``, ...): lastword's
reports carry the user's file:line as their source location, never lastword's. With
``LOG_EXECUTION_ID=true`` every line written while an invocation runs — by ``logging`` or by
``print``, from its own code, its tasks or its threads — carries the invocation's execution id.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import threading
import time
from typing import Any, TextIO

from ._config import Config
from ._invocation import LASTWORD_DIR, Invocation, current

_SEVERITY = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARNING",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "CRITICAL",
}


def invocation_of(record: logging.LogRecord) -> Invocation | None:
    found = getattr(record, "invocation", None)
    return found if isinstance(found, Invocation) else current.get()


_PLATFORM = {"K_SERVICE": "service", "K_REVISION": "revision", "K_CONFIGURATION": "configuration"}
platform_labels: dict[str, str] = {}
"""The Cloud Run / Knative names of this instance (``K_SERVICE``, ``K_REVISION``,
``K_CONFIGURATION``), on every JSON log entry when the platform sets them (read by
:func:`configure`)."""


def cloud_fields(invocation: Invocation | None, with_id: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if invocation is None or not with_id:
        if platform_labels:
            fields["logging.googleapis.com/labels"] = dict(platform_labels)
        if invocation is None:
            return fields
    else:
        fields["logging.googleapis.com/labels"] = {**platform_labels, "execution_id": invocation.id}
    if invocation.trace is not None:
        trace, span = invocation.trace
        project = os.environ.get("GOOGLE_CLOUD_PROJECT")
        fields["logging.googleapis.com/trace"] = (
            f"projects/{project}/traces/{trace}" if project else trace
        )
        if span:
            fields["logging.googleapis.com/spanId"] = span
    return fields


class JsonFormatter(logging.Formatter):
    def __init__(self, with_id: bool):
        super().__init__()
        self.with_id = with_id

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelno, record.levelname),
            "message": message,
            "timestamp": _timestamp(record.created),
        }
        location = source_location(record)
        if location is not None:
            entry["logging.googleapis.com/sourceLocation"] = location
        line = getattr(record, "request_line", None)
        if line is not None:
            entry["httpRequest"] = line.http_request()
        entry["logger"] = record.name
        entry.update(cloud_fields(invocation_of(record), self.with_id))
        return json.dumps(entry, ensure_ascii=False)

    def request_line(self, line: Any, level: int, name: str) -> str:
        """A request line's entry, made without a log record (:class:`LineHandler`)."""
        entry: dict[str, Any] = {
            "severity": _SEVERITY[level],
            "message": str(line),
            "timestamp": _timestamp(time.time()),
            "httpRequest": line.http_request(),
            "logger": name,
        }
        entry.update(cloud_fields(line.invocation, self.with_id))
        return json.dumps(entry, ensure_ascii=False)


def source_location(record: logging.LogRecord) -> dict[str, str] | None:
    """Where a record comes from in the user's code: what lastword's reports name (``extra``
    ``source_location``), or the line that logged it -- never a line of lastword's own."""
    if hasattr(record, "source_location"):
        given: dict[str, str] | None = record.source_location
        return given
    if record.pathname.startswith(LASTWORD_DIR):
        return None
    return {"file": record.pathname, "line": str(record.lineno), "function": record.funcName}


class TextFormatter(logging.Formatter):
    """``LEVEL logger: message``; request lines aligned in columns; colors on a terminal."""

    def __init__(self, with_id: bool, color: bool = False):
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.with_id = with_id
        self.style: Any = None
        if color:
            import click  # already imported by the CLI; only where colors are wanted

            self.style = click.style

    def format(self, record: logging.LogRecord) -> str:
        line = getattr(record, "request_line", None)
        if line is not None:
            return str(line.render(self.style))
        text = super().format(record)
        if self.style is not None and record.levelno >= logging.WARNING:
            color = "red" if record.levelno >= logging.ERROR else "yellow"
            text = self.style(record.levelname, fg=color, bold=True) + text[len(record.levelname):]
        invocation = invocation_of(record) if self.with_id else None
        return f"[{invocation.id}] {text}" if invocation is not None else text


    def request_line(self, line: Any, level: int, name: str) -> str:
        """A request line, made without a log record (:class:`LineHandler`)."""
        return str(line.render(self.style))


class LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """lastword's handler. A request line that reaches this handler alone is written without
    making a log record (:func:`sole_handler`): it is one per request, and a record costs more
    than the line."""

    def write_request_line(self, line: Any, level: int, name: str) -> None:
        formatter = self.formatter
        if not isinstance(formatter, (TextFormatter, JsonFormatter)):
            return
        text = formatter.request_line(line, level, name) + self.terminator
        stream = self.stream
        with self.lock:  # type: ignore[union-attr]
            try:
                stream.write(text)
                if not getattr(stream, "line_buffering", False):  # else written already
                    stream.flush()
            except (OSError, ValueError):  # a closed stream, at shutdown: nothing to do
                pass


def sole_handler(logger: logging.Logger, level: int) -> LineHandler | None:
    """The handler a record of ``logger`` at ``level`` would reach, when it is lastword's own and
    the only one (no filters on the way); None otherwise (log a record the usual way)."""
    found: LineHandler | None = None
    walk: logging.Logger | None = logger
    while walk is not None:
        if walk.filters:
            return None
        for handler in walk.handlers:
            if found is not None or not isinstance(handler, LineHandler) or handler.filters:
                return None
            found = handler
        if not walk.propagate:
            break
        walk = walk.parent
    if found is None or level < found.level:
        return None
    return found


def use_color(stream: Any) -> bool:
    """Colors for a terminal, unless ``NO_COLOR`` is set; ``FORCE_COLOR`` forces them."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _timestamp(created: float) -> str:
    seconds = int(created)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int((created - seconds) * 1e6):06d}Z"


class InvocationStream(io.TextIOBase):
    """Wraps stdout/stderr: complete lines written during an invocation carry its execution id."""

    def __init__(self, stream: TextIO, severity: str, json_lines: bool):
        self.stream = stream
        self.severity = severity
        self.json_lines = json_lines
        self.pending = threading.local()

    def write(self, text: str) -> int:
        invocation = current.get()
        buffered: str = getattr(self.pending, "text", "")
        if invocation is None and not buffered:
            return self.stream.write(text)
        if invocation is None:
            self.pending.text = ""
            return self.stream.write(buffered + text)
        data = buffered + text
        *lines, rest = data.split("\n")
        self.pending.text = rest
        for line in lines:
            self.stream.write(self._format(line, invocation) + "\n")
        if lines:
            self.stream.flush()
        return len(text)

    def _format(self, line: str, invocation: Invocation) -> str:
        if not self.json_lines:
            return f"[{invocation.id}] {line}"
        entry = {"severity": self.severity, "message": line}
        entry.update(cloud_fields(invocation, True))
        return json.dumps(entry, ensure_ascii=False)

    def flush(self) -> None:
        self.stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding


def configure_hosted(config: Config) -> None:
    """Set up lastword's own log lines only: its app is hosted by somebody else's server, which
    owns the process's logging. Where the root logger has handlers, lastword's lines go there."""
    logger = logging.getLogger("lastword")
    if logging.getLogger().handlers or any(getattr(h, "_lastword", False) for h in logger.handlers):
        return
    handler = _handler(config)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if config.debug else logging.INFO)
    _request_lines(config)


def _handler(config: Config) -> logging.Handler:
    stderr = sys.stderr
    if isinstance(stderr, InvocationStream):  # configured before (the supervisor, then a worker)
        stderr = stderr.stream  # type: ignore[assignment]
    handler = LineHandler(stderr)
    if config.effective_log_format == "json":
        handler.setFormatter(JsonFormatter(config.log_execution_id))
    else:
        handler.setFormatter(TextFormatter(config.log_execution_id, color=use_color(sys.stderr)))
    handler._lastword = True  # type: ignore[attr-defined]
    return handler


def _request_lines(config: Config) -> None:
    """Show the request line of each invocation, or not."""
    logging.getLogger("lastword.request").setLevel(
        logging.NOTSET if config.effective_request_log else logging.CRITICAL + 1
    )


def configure(config: Config) -> None:
    """Set up logging for a serving process."""
    platform_labels.clear()
    platform_labels.update(
        {label: os.environ[var] for var, label in _PLATFORM.items() if os.environ.get(var)}
    )
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(line_buffering=True)
    json_lines = config.effective_log_format == "json"
    with_id = config.log_execution_id
    handler = _handler(config)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_lastword", False):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if config.debug else logging.INFO)
    _request_lines(config)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.INFO if config.debug else logging.WARNING)
    if with_id and not isinstance(sys.stdout, InvocationStream):
        sys.stdout = InvocationStream(sys.stdout, "INFO", json_lines)  # type: ignore[assignment]
        sys.stderr = InvocationStream(sys.stderr, "ERROR", json_lines)  # type: ignore[assignment]
