"""Logging: lines as they happen, tagged with the invocation that wrote them.

``text`` is for people at a terminal; ``json`` writes one object per line with Cloud Logging's
field names (``severity``, ``message``, ``logging.googleapis.com/trace``, ...). With
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
from ._invocation import Invocation, current

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


def cloud_fields(invocation: Invocation | None, with_id: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if invocation is None:
        return fields
    if with_id:
        fields["logging.googleapis.com/labels"] = {"execution_id": invocation.id}
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
            "logging.googleapis.com/sourceLocation": {
                "file": record.pathname,
                "line": str(record.lineno),
                "function": record.funcName,
            },
            "logger": record.name,
        }
        entry.update(cloud_fields(invocation_of(record), self.with_id))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self, with_id: bool):
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.with_id = with_id

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        invocation = invocation_of(record) if self.with_id else None
        return f"[{invocation.id}] {text}" if invocation is not None else text


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
    json_lines = config.effective_log_format == "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(config.log_execution_id)
        if json_lines
        else TextFormatter(config.log_execution_id)
    )
    handler._lastword = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if config.debug else logging.INFO)


def configure(config: Config) -> None:
    """Set up logging for a serving process."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(line_buffering=True)
    json_lines = config.effective_log_format == "json"
    with_id = config.log_execution_id
    stderr = sys.stderr
    if isinstance(stderr, InvocationStream):  # configured before (the supervisor, then a worker)
        stderr = stderr.stream  # type: ignore[assignment]
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(JsonFormatter(with_id) if json_lines else TextFormatter(with_id))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_lastword", False):
            root.removeHandler(old)
    handler._lastword = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if config.debug else logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.INFO if config.debug else logging.WARNING)
    if with_id and not isinstance(sys.stdout, InvocationStream):
        sys.stdout = InvocationStream(sys.stdout, "INFO", json_lines)  # type: ignore[assignment]
        sys.stderr = InvocationStream(sys.stderr, "ERROR", json_lines)  # type: ignore[assignment]
