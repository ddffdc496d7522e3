"""From a request (headers, body, path) to what an event function is called with.

- :func:`cloud_event_from_request`: the argument of a ``cloudevent`` function. A CloudEvent in
  binary or structured content mode is read as it is; a legacy event (or a raw Pub/Sub push) is
  converted. The request's W3C ``traceparent`` becomes the event's ``traceparent`` extension when
  the event has none.
- :func:`legacy_event_from_request`: the ``(data, context)`` of an ``event`` function. A legacy
  event (or a raw Pub/Sub push) is read as it is; a CloudEvent of a Google event type is
  converted. A binary-mode CloudEvent of any other type is passed as functions-framework does:
  the body's bytes, and a context read from the headers ``ce-eventId``, ``ce-timestamp``,
  ``ce-eventType`` and ``ce-resource``; a structured-mode one as its ``data`` member with an
  empty context.

Everything here is plain data in, plain data out; the ``cloudevents`` SDK is imported only to
build the object a ``cloudevent`` function receives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._cloudevent import (
    content_mode,
    is_structured,
    parse_binary,
    parse_structured,
    to_sdk_event,
    with_traceparent,
)
from ._convert import can_become_legacy, cloudevent_to_legacy, legacy_to_cloudevent
from ._errors import NotAnEvent, described
from ._http import Headers, JsonBody, header_dict, media_type
from ._legacy import Context, parse_legacy

if TYPE_CHECKING:
    from cloudevents.http.event import CloudEvent


def cloud_event_from_request(headers: Headers, body: bytes, path: str = "/") -> CloudEvent:
    """The ``cloudevents`` SDK CloudEvent a ``cloudevent`` function receives for this request.

    Raises an :class:`EventRequestError` (a 400) when the request holds no usable event.
    """
    attributes, data = cloud_event_parts(headers, body, path)
    return to_sdk_event(attributes, data)


def cloud_event_parts(headers: Headers, body: bytes, path: str = "/") -> tuple[dict[str, Any], Any]:
    """The attributes and data of that CloudEvent, as plain data (no SDK involved)."""
    found = header_dict(headers)
    mode = content_mode(found)
    if mode == "binary":
        event = parse_binary(found, body)
        return with_traceparent(event.attributes, found), event.data
    decoded = JsonBody(body)
    if mode == "structured" or is_structured(decoded):
        event = parse_structured(decoded)
        return with_traceparent(event.attributes, found), event.data
    try:
        legacy = parse_legacy(decoded, path)
    except NotAnEvent:
        raise NotAnEvent(_neither_message(found, decoded)) from None
    attributes, data = legacy_to_cloudevent(legacy)
    return with_traceparent(attributes, found), data


def legacy_event_from_request(headers: Headers, body: bytes, path: str = "/") -> tuple[Any, Context]:
    """The ``(data, context)`` an ``event`` (legacy background) function receives.

    Raises an :class:`EventRequestError` (a 400) when the request holds no usable event.
    """
    found = header_dict(headers)
    mode = content_mode(found)
    if mode == "binary":
        event = parse_binary(found, body)
        if can_become_legacy(event.attributes):
            return cloudevent_to_legacy(event.attributes, event.data)
        return body, Context(
            found.get("ce-eventid"),
            found.get("ce-timestamp"),
            found.get("ce-eventtype"),
            found.get("ce-resource"),
        )
    decoded = JsonBody(body)
    if mode == "structured" or is_structured(decoded):
        event = parse_structured(decoded)
        if can_become_legacy(event.attributes):
            return cloudevent_to_legacy(event.attributes, event.data)
        return decoded.value.get("data", ""), Context()
    legacy = parse_legacy(decoded, path)
    return legacy.data, legacy.context()


def _neither_message(headers: Mapping[str, str], body: JsonBody) -> str:
    kind = media_type(headers)
    stray = sorted(name for name in headers if name.startswith("ce-"))
    binary = "it has no ce-specversion header (binary content mode)"
    if stray:
        binary = f"it has {', '.join(stray)} but no ce-specversion header (binary content mode)"
    if not body.ok:
        about_body = f"its body {body.problem}"
    elif not isinstance(body.value, dict):
        about_body = f"its body is {described(body.value)}, not an object"
    else:
        about_body = (
            "its JSON body has neither specversion (a CloudEvent) nor data or context (a legacy"
            " event)"
        )
    structured = "it has no Content-Type application/cloudevents+json (structured content mode)"
    if kind:
        structured = (
            f"its Content-Type is {kind}, not application/cloudevents+json (structured content"
            " mode)"
        )
    return (
        f"the request is neither a CloudEvent nor a legacy event: {binary}, {structured}, and"
        f" {about_body}. Send a CloudEvent, or a legacy event (a JSON object with data and"
        " context) to have it converted"
    )
