"""CloudEvents over HTTP, read into plain data: attributes (a dict) and data.

Reading follows what functions-framework-python 3.10.2 gets from the ``cloudevents`` SDK
(``cloudevents.http.from_http``), so a function receives the same event:

- binary content mode (a ``ce-specversion`` header): every ``ce-*`` header is an attribute, the
  Content-Type is ``datacontenttype``; the body is decoded as JSON when it is JSON, whatever the
  Content-Type says, and is otherwise kept as bytes; an empty body is ``None``;
- structured content mode (Content-Type ``application/cloudevents+json``, or a JSON object body
  with a ``specversion`` member): every member but ``data``/``data_base64`` is an attribute
  (members that are ``null`` are dropped); ``data`` is taken as is, except that ``""`` becomes
  ``None``; ``data_base64`` is decoded, then treated like a binary-mode body;
- the attribute order is the SDK's: the context attributes of the spec, then extensions.

Where the SDK accepts an event the CloudEvents spec calls invalid, this module refuses it with a
message (required attributes must be non-empty strings; ``data`` and ``data_base64`` together;
batch mode). The SDK's ``CloudEvent`` class itself is imported only by :func:`to_sdk_event`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ._errors import BatchNotSupported, MalformedCloudEvent, described, quote
from ._http import CLOUDEVENTS_BATCH_JSON, CLOUDEVENTS_JSON, JsonBody, media_type

if TYPE_CHECKING:
    from cloudevents.http.event import CloudEvent

Mode = Literal["binary", "structured"]

REQUIRED = ("specversion", "id", "source", "type")
SPEC_VERSIONS = ("1.0", "0.3")
_ORDER = ("specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time")
_REQUIRED_HEADERS = tuple(f"ce-{name}" for name in REQUIRED)

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")


class ParsedEvent:
    """A CloudEvent read from a request: its content mode, attributes and data."""

    __slots__ = ("mode", "attributes", "data")

    def __init__(self, mode: Mode, attributes: dict[str, Any], data: Any):
        self.mode = mode
        self.attributes = attributes
        self.data = data

    def __repr__(self) -> str:
        return f"ParsedEvent({self.mode!r}, {self.attributes!r}, {self.data!r})"


def content_mode(headers: Mapping[str, str]) -> Mode | None:
    """The content mode the headers announce, or None when they announce none.

    Raises :class:`BatchNotSupported` for batch mode. When this gives None, the request may
    still be a structured-mode event sent as ``application/json``: see :func:`is_structured`.
    """
    kind = media_type(headers)
    if kind == CLOUDEVENTS_BATCH_JSON:
        raise BatchNotSupported(
            "CloudEvents batch mode (Content-Type application/cloudevents-batch+json) is not"
            " supported: send one event per request, in binary or structured content mode"
        )
    if kind == CLOUDEVENTS_JSON:
        return "structured"
    if "ce-specversion" in headers:
        return "binary"
    return None


def is_structured(body: JsonBody) -> bool:
    """A JSON object with a ``specversion`` member is a structured-mode event whatever its
    Content-Type (the SDK reads it so)."""
    return body.ok and isinstance(body.value, dict) and "specversion" in body.value


def parse_binary(headers: Mapping[str, str], body: bytes) -> ParsedEvent:
    found: dict[str, Any] = {}
    for name, value in headers.items():
        if name[:3] == "ce-" and len(name) > 3:
            found[name[3:]] = value
    for name in REQUIRED:
        if not found.get(name, "").strip():
            _refuse_required_headers(headers)
    if found["specversion"] not in SPEC_VERSIONS:
        _check_spec_version(found["specversion"], "the header ce-specversion", "binary")
    if "content-type" in headers:
        found["datacontenttype"] = headers["content-type"]
    return ParsedEvent("binary", ordered_attributes(found), decode_data(body))


def _refuse_required_headers(headers: Mapping[str, str]) -> None:
    missing = [name for name in _REQUIRED_HEADERS if name not in headers]
    if missing:
        raise MalformedCloudEvent(
            f"malformed CloudEvent (binary content mode): missing the header{_s(missing)}"
            f" {', '.join(missing)}; a binary-mode event needs {', '.join(_REQUIRED_HEADERS)}"
        )
    empty = [name for name in _REQUIRED_HEADERS if not headers[name].strip()]
    raise MalformedCloudEvent(
        f"malformed CloudEvent (binary content mode): the header{_s(empty)}"
        f" {', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty"
    )


def parse_structured(decoded: JsonBody) -> ParsedEvent:
    where = "malformed CloudEvent (structured content mode)"
    if not decoded.ok:
        raise MalformedCloudEvent(f"{where}: the body {decoded.problem}")
    event = decoded.value
    if not isinstance(event, dict):
        raise MalformedCloudEvent(
            f"{where}: the body is {described(event)}, expected an object with specversion,"
            " id, source, type and data"
        )
    missing = [name for name in REQUIRED if name not in event or event[name] is None]
    if missing:
        raise MalformedCloudEvent(
            f"{where}: the attribute{_s(missing)} {', '.join(missing)}"
            f" {'is' if len(missing) == 1 else 'are'} missing or null; an event needs"
            f" {', '.join(REQUIRED)}"
        )
    for name in REQUIRED:
        value = event[name]
        if not isinstance(value, str) or not value.strip():
            shown = "an empty string" if isinstance(value, str) else described(value)
            raise MalformedCloudEvent(f"{where}: the attribute {name} must be a non-empty string, got {shown}")
    _check_spec_version(event["specversion"], "the attribute specversion", "structured")
    if "data" in event and "data_base64" in event:
        raise MalformedCloudEvent(
            f"{where}: the event has both data and data_base64; send the data in one of them"
        )
    attributes: dict[str, Any] = {}
    for name, value in event.items():
        if name not in ("data", "data_base64") and value is not None:
            attributes[name] = value
    if "data_base64" in event:
        encoded = event["data_base64"]
        if not isinstance(encoded, str):
            raise MalformedCloudEvent(
                f"{where}: data_base64 must be a string, got {described(encoded)}"
            )
        try:
            raw = base64.b64decode(encoded)
        except (binascii.Error, ValueError):
            raise MalformedCloudEvent(f"{where}: data_base64 is not valid base64") from None
        data = decode_data(raw)
    else:
        data = event.get("data")
        if isinstance(data, str) and not data:
            data = None
    return ParsedEvent("structured", ordered_attributes(attributes), data)


def decode_data(raw: bytes) -> Any:
    """A binary-mode body or decoded data_base64, as the SDK reads it: JSON, else the bytes."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return raw


def with_traceparent(attributes: dict[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """Add the request's W3C ``traceparent`` (and ``tracestate``) as the Distributed Tracing
    extension, unless the event carries its own; an invalid header is ignored, as W3C says."""
    header = headers.get("traceparent", "").strip()
    if not header or "traceparent" in attributes or not valid_traceparent(header):
        return attributes
    attributes["traceparent"] = header
    state = headers.get("tracestate", "").strip()
    if state and "tracestate" not in attributes:
        attributes["tracestate"] = state
    return attributes


def valid_traceparent(value: str) -> bool:
    match = _TRACEPARENT.match(value)
    if match is None:
        return False
    version, trace_id, parent_id, _flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest):
        return False
    return trace_id != "0" * 32 and parent_id != "0" * 16


def to_sdk_event(attributes: Mapping[str, Any], data: Any) -> CloudEvent:
    """The ``cloudevents`` SDK object functions-framework passes (imported here, lazily).

    Like the SDK's own reading, an event without ``time`` gets the current time.
    """
    global _sdk_event
    if _sdk_event is None:
        from cloudevents.http.event import CloudEvent

        _sdk_event = CloudEvent
    event: CloudEvent = _sdk_event(attributes, data)  # it copies the attributes itself
    return event


_sdk_event: Any = None
"""The SDK's CloudEvent class, once imported."""


def ordered_attributes(found: dict[str, Any]) -> dict[str, Any]:
    """The attributes in the order the SDK gives them: the spec's context attributes first."""
    attributes = {name: found[name] for name in _ORDER if name in found}
    if len(attributes) < len(found):
        attributes.update((name, value) for name, value in found.items() if name not in attributes)
    return attributes


def _check_spec_version(value: Any, what: str, mode: str) -> None:
    if value not in SPEC_VERSIONS:
        raise MalformedCloudEvent(
            f"malformed CloudEvent ({mode} content mode): {what} is {quote(value)}; supported"
            f" versions are {' and '.join(SPEC_VERSIONS)}"
        )


def _s(items: list[str]) -> str:
    return "" if len(items) == 1 else "s"
