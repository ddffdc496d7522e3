"""``lastword call``: send an event to a running function and print its response.

    lastword call http://127.0.0.1:8080 --kind pubsub
    lastword call http://127.0.0.1:8080 --kind storage --mode structured
    lastword call http://127.0.0.1:8080 --kind pubsub --data-file message.txt
    lastword call http://127.0.0.1:8080 event.json --mode legacy

The event is a sample of a named kind, or a JSON file holding a CloudEvent (its structured form,
with ``specversion``) or a legacy event (``data`` and ``context``); it goes out as a CloudEvent in
binary or structured content mode, or as a legacy event, converted as needed. Exit status: 0 when
the function answered 2xx, 1 when it answered anything else, 2 on a usage error (an unreadable
file, an event that cannot be sent that way, a server that does not answer).
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import click

from ._events import REQUEST_MODES, SAMPLE_KINDS


@click.command(
    "call",
    help=(
        "Send an event to a running function and print its response: a sample of a kind "
        "(--kind pubsub) or an event file (CloudEvent or legacy event JSON), as a CloudEvent in "
        "binary or structured content mode, or as a legacy event. Exits 0 on a 2xx answer, 1 "
        "otherwise."
    ),
)
@click.argument("url")
@click.argument(
    "event_file", required=False, type=click.Path(dir_okay=False, path_type=Path),
    metavar="[EVENT.json]",
)
@click.option("--kind", type=click.Choice(SAMPLE_KINDS), help="Send a sample event of this kind.")
@click.option(
    "--mode", type=click.Choice(REQUEST_MODES), default="binary", show_default=True,
    help="binary or structured CloudEvent, or legacy event.",
)
@click.option(
    "--data-file", type=click.Path(dir_okay=False, path_type=Path),
    help="The sample's data from a file: JSON, or for pubsub the message's bytes.",
)
@click.option(
    "-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
    help="An extra request header (repeatable).",
)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait.")
@click.option("--show-request", is_flag=True, help="Print the request sent, then the response.")
def call(
    url: str,
    event_file: Path | None,
    kind: str | None,
    mode: str,
    data_file: Path | None,
    headers: tuple[str, ...],
    timeout: float,
    show_request: bool,
) -> None:
    from ._events import EventRequestError, encode_event, sample_event

    event = _event(event_file, kind, data_file, sample_event)
    try:
        sent, body = encode_event(event, mode)  # type: ignore[arg-type]
    except (EventRequestError, ValueError) as exc:
        raise click.UsageError(f"this event cannot be sent in {mode} mode: {exc}") from None
    request_headers = [*sent, *(_header(h) for h in headers)]
    if show_request:
        click.echo(f"POST {url}", err=True)
        for name, value in request_headers:
            click.echo(f"{name}: {value}", err=True)
        click.echo("", err=True)
        click.echo(body.decode("utf-8", errors="replace"), err=True)
        click.echo("", err=True)
    else:
        click.echo(f"lastword: sending {_describe(event)} as a {mode} event to {url}", err=True)
    status, reason, response_headers, content = _post(url, request_headers, body, timeout)
    click.echo(f"HTTP {status} {reason}")
    for name, value in response_headers:
        if name.lower() in ("content-type", "x-google-status", "x-lastword-outcome", "allow"):
            click.echo(f"{name}: {value}")
    if content:
        click.echo("")
        text = content.decode("utf-8", errors="replace")
        click.echo(text.rstrip("\n"))
    sys.exit(0 if 200 <= status < 300 else 1)


def _event(
    event_file: Path | None, kind: str | None, data_file: Path | None, sample_event: Any
) -> dict[str, Any]:
    if (event_file is None) == (kind is None):
        raise click.UsageError("give either --kind KIND (a sample event) or an event file")
    if event_file is not None:
        if data_file is not None:
            raise click.UsageError("--data-file goes with --kind; an event file holds its data")
        value = _read_json(event_file, "event file")
        if not isinstance(value, dict):
            raise click.UsageError(
                f"{event_file} holds a JSON {type(value).__name__}; an event file holds one event, "
                "a JSON object (a CloudEvent with specversion, or a legacy event with data and "
                "context)"
            )
        return value
    event: dict[str, Any] = sample_event(kind)
    if data_file is not None:
        if kind == "pubsub":
            try:
                raw = data_file.read_bytes()
            except OSError as exc:
                raise click.UsageError(f"cannot read --data-file {data_file}: {exc.strerror}") from None
            event["data"]["message"]["data"] = base64.b64encode(raw).decode("ascii")
        else:
            event["data"] = _read_json(data_file, "--data-file")
    return event


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise click.UsageError(f"cannot read {what} {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{what} {path} is not JSON: {exc}") from None


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise click.UsageError(f"--header {text!r}: write it as 'Name: value'")
    return name.strip(), value.strip()


def _describe(event: dict[str, Any]) -> str:
    if "specversion" in event:
        return f"CloudEvent {event.get('type')!s} (id {event.get('id')!s})"
    context: dict[str, Any] = event["context"] if isinstance(event.get("context"), dict) else event
    return f"legacy event {context.get('eventType')!s} (id {context.get('eventId')!s})"


def _post(
    url: str, headers: list[tuple[str, str]], body: bytes, timeout: float
) -> tuple[int, str, list[tuple[str, str]], bytes]:
    import http.client

    parts = urllib.parse.urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.UsageError(f"{url!r} is not an http:// URL of a running function")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.putrequest("POST", path)
        for name, value in headers:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.reason, response.getheaders(), response.read()
    except OSError as exc:
        where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise click.UsageError(
            f"no answer from {where}: {reason}. Is the function running (lastword serve ...)?"
        ) from None
    finally:
        connection.close()
