"""The official conformance data, and how the official conformance client judges a function.

The client (functions-framework-conformance, ``client/`` and ``events/validators.go``) sends each
input, reads the file the function wrote with what it received, and compares:

- a CloudEvent (the function writes ``cloudevents.conversion.to_json(event)``): ``id``,
  ``source``, ``type``, ``datacontenttype`` and ``data`` decoded as a JSON object;
- a legacy event (the function writes ``{"data": data, "context": {eventId, timestamp,
  eventType, resource}}``): ``data``, and the context's ``eventId`` (or ``event_id``),
  ``eventType`` (or ``event_type``), ``timestamp`` and ``resource``.

CloudEvents go out in binary content mode (the Go SDK's default): a ``ce-`` header per attribute,
``datacontenttype`` as the Content-Type, ``data`` as the body. Legacy events go out as their JSON
file, ``Content-Type: application/json``. Where an ``*-output-converted.json`` exists, it is the
expected output when the input was of the other kind.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = (REPO.parent / "shared" / "conformance" / "data", Path("/work/shared/conformance/data"))
_MISSING = "<no conformance data>"


def data_dir() -> Path | None:
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    return None


def case_names() -> list[str]:
    """The event names of the data set (one placeholder when the data is absent)."""
    found = data_dir()
    if found is None:
        return [_MISSING]
    names = {path.name.split("-legacy-")[0].split("-cloudevent-")[0] for path in found.glob("*.json")}
    return sorted(names)


def require_data() -> Path:
    """The data directory; without it the test fails under CI=true and is skipped otherwise."""
    found = data_dir()
    if found is None:
        where = " or ".join(str(c) for c in _CANDIDATES)
        message = f"the conformance data is not at {where}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def load(name: str, kind: str) -> Any:
    """``kind`` is e.g. ``cloudevent-input``; None when the file does not exist."""
    path = require_data() / f"{name}-{kind}.json"
    return json.loads(path.read_bytes()) if path.exists() else None


def raw(name: str, kind: str) -> bytes:
    return (require_data() / f"{name}-{kind}.json").read_bytes()


def expected(name: str, output: str, converted: bool) -> Any:
    """The expected output (``cloudevent`` or ``legacy``), the converted one if asked and any."""
    if converted:
        override = load(name, f"{output}-output-converted")
        if override is not None:
            return override
    return load(name, f"{output}-output")


def binary_request(event: dict[str, Any]) -> tuple[list[tuple[str, str]], bytes]:
    """A CloudEvent (structured JSON form) as the conformance client sends it: binary mode."""
    headers = [("Content-Type", event.get("datacontenttype", "application/json"))]
    headers += [(f"ce-{k}", str(v)) for k, v in event.items() if k not in ("data", "datacontenttype")]
    return headers, json.dumps(event["data"]).encode()


def structured_request(name: str) -> tuple[list[tuple[str, str]], bytes]:
    """The CloudEvent input file itself, in structured content mode."""
    return [("Content-Type", "application/cloudevents+json")], raw(name, "cloudevent-input")


def legacy_request(name: str) -> tuple[list[tuple[str, str]], bytes]:
    return [("Content-Type", "application/json")], raw(name, "legacy-input")


def written_cloud_event(event: Any) -> bytes:
    """What the conformance test function writes for a CloudEvent it received."""
    from cloudevents.conversion import to_json

    return to_json(event)


def written_legacy_event(data: Any, context: Any) -> str:
    """What the conformance test function writes for a legacy event it received."""
    return json.dumps(
        {
            "data": data,
            "context": {
                "eventId": context.event_id,
                "timestamp": context.timestamp,
                "eventType": context.event_type,
                "resource": context.resource,
            },
        }
    )


def cloud_event_mismatches(
    written: bytes | str, want: dict[str, Any], *, strict: bool = True, extra_data_keys: tuple[str, ...] = ()
) -> list[str]:
    """What differs between the event a function wrote and the expected one, as the client
    compares them; ``strict`` also compares ``subject`` and ``time``. ``extra_data_keys`` are
    top-level data members the function may have that the expected output lacks."""
    got = json.loads(written)
    fields = ["id", "source", "type", "datacontenttype"] + (["subject", "time"] if strict else [])
    problems = [
        f"{field}: got {got.get(field)!r}, want {want.get(field)!r}"
        for field in fields
        if got.get(field, "") != want.get(field, "")
    ]
    got_data, want_data = _data_of(got), _data_of(want)
    if isinstance(got_data, dict):
        got_data = {k: v for k, v in got_data.items() if k not in extra_data_keys or k in want_data}
    if got_data != want_data:
        problems.append(f"data: got {got_data!r}, want {want_data!r}")
    return problems


def legacy_event_mismatches(written: str, want: dict[str, Any]) -> list[str]:
    got = json.loads(written)
    problems = []
    if got.get("data") != want.get("data"):
        problems.append(f"data: got {got.get('data')!r}, want {want.get('data')!r}")
    got_context, want_context = got["context"], want["context"]
    aliases = {"eventId": "event_id", "eventType": "event_type"}
    for field in ("eventId", "eventType", "timestamp", "resource"):
        value = got_context.get(field, got_context.get(aliases.get(field, ""), None))
        if value != want_context.get(field):
            problems.append(f"context.{field}: got {value!r}, want {want_context.get(field)!r}")
    return problems


def _data_of(event: dict[str, Any]) -> Any:
    if "data_base64" in event:
        return json.loads(base64.b64decode(event["data_base64"]))
    return event.get("data")
