"""Why a request could not be turned into what an event function receives.

Every one of these is the sender's fault and becomes a 400 whose body is ``str(error)``: the
message names what is missing or malformed and never repeats the request body (a header value
or an event type is quoted at most, shortened).
"""

from __future__ import annotations

from typing import Any

from .._errors import LastwordError

_QUOTE_MAX = 60


class EventRequestError(LastwordError):
    """The request is not an event the function can receive (answered with 400)."""

    status_code = 400


class NotAnEvent(EventRequestError):
    """Nothing in the request looks like a CloudEvent or a legacy event."""


class MalformedCloudEvent(EventRequestError):
    """The request is a CloudEvent (binary or structured content mode) but an invalid one."""


class BatchNotSupported(MalformedCloudEvent):
    """A CloudEvents batch (``application/cloudevents-batch+json``): one event per request only."""


class MalformedLegacyEvent(EventRequestError):
    """The body is meant as a legacy (background) event or a Pub/Sub push, but an invalid one."""


class ConversionFailed(EventRequestError):
    """A valid event that cannot be converted to the other representation."""


def quote(value: Any) -> str:
    """A short, safe rendering of a scalar taken from the request (never the body)."""
    if isinstance(value, str):
        text = value if len(value) <= _QUOTE_MAX else value[: _QUOTE_MAX - 3] + "..."
        return repr(text)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return described(value)


def described(value: Any) -> str:
    """What a decoded value is, for a message: "a JSON array", "bytes that are not JSON"."""
    if isinstance(value, bytes):
        return "bytes that are not JSON"
    return f"a JSON {json_kind(value)}"


def json_kind(value: Any) -> str:
    """How JSON calls the type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
