"""The options of ``lastword serve``, as data: the command line is built from this table (by click
in ``_cli``, and by the start-up fast path in ``_main``, which does without click)."""

from __future__ import annotations

from typing import NamedTuple

from ._config import BACKGROUND_POLICIES, CPU_ALLOCATIONS, LOG_FORMATS
from ._signatures import choices as signature_choices


class Option(NamedTuple):
    flag: str
    """``--name``, or ``--name/--no-name`` for a switch."""
    field: str
    """The configuration field it sets."""
    kind: str
    """``text``, ``int``, ``float``, ``choice``, ``switch`` (--x/--no-x) or ``flag`` (--x)."""
    help: str
    choices: tuple[str, ...] = ()


SERVE_OPTIONS: tuple[Option, ...] = (
    Option("--source", "source", "text", "File that defines the function (default main.py)."),
    Option("--target", "target", "text", "Name of the function to serve."),
    Option(
        "--signature-type", "signature_type", "choice",
        "http, cloudevent, event or typed (default http, or what the source declares).",
        signature_choices(),
    ),
    Option("--host", "host", "text", "Address to listen on (default 0.0.0.0)."),
    Option("--port", "port", "int", "Port to listen on (default 8080; 0 picks one)."),
    Option("--workers", "workers", "int", "Worker processes sharing the port (default 1)."),
    Option("--threads", "threads", "int", "Threads for sync functions (default 4 per CPU)."),
    Option(
        "--concurrency", "concurrency", "int",
        "Invocations in flight per instance at most (default 80, the platform's).",
    ),
    Option(
        "--background", "background", "choice",
        "What to do with work still running when the response is sent (default warn).",
        BACKGROUND_POLICIES,
    ),
    Option(
        "--cpu", "cpu", "choice",
        "request: CPU only while serving, as on the platform (default); always.", CPU_ALLOCATIONS,
    ),
    Option("--timeout", "timeout", "float", "Seconds an invocation may take (default 300)."),
    Option("--grace", "grace", "float", "Seconds to finish in-flight work after SIGTERM (default 10)."),
    Option("--memory", "memory", "text", "Memory limit per instance, e.g. 512Mi (default: none)."),
    Option(
        "--tracking/--no-tracking", "tracking", "switch",
        "Track the background work of each invocation (default on).",
    ),
    Option(
        "--log-format", "log_format", "choice",
        "text or json (default: json on Cloud Run/Knative, where K_SERVICE is set; text elsewhere).",
        LOG_FORMATS,
    ),
    Option(
        "--request-log/--no-request-log", "request_log", "switch",
        "A line per request: method, path, status, duration, id, leftovers (default on, off on "
        "Cloud Run/Knative).",
    ),
    Option("--debug", "debug", "flag", "Verbose logs, and --reload."),
    Option(
        "--reload/--no-reload", "reload", "switch",
        "Restart the worker when a file of the source folder changes (default: on with --debug).",
    ),
)
