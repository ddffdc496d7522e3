"""Legacy (background) events: what a ``def f(data, context)`` function receives.

A legacy event arrives as a JSON object in one of two shapes, the context inside ``context`` or
flat at the top level (``eventId``, ``timestamp``, ``eventType``, ``resource``); where both give
a field, ``context`` wins (the conformance mapping's "first matching location"). A raw Pub/Sub
push body (``{"message": {...}, "subscription": ...}``) is read as the Pub/Sub legacy event it
stands for, the topic taken from the request path, as functions-framework-python does.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

from ._errors import MalformedLegacyEvent, NotAnEvent, described
from ._http import JsonBody

PUBSUB_SERVICE = "pubsub.googleapis.com"
PUBSUB_EVENT_TYPE = "google.pubsub.topic.publish"
PUBSUB_MESSAGE_TYPE = "type.googleapis.com/google.pubsub.v1.PubsubMessage"

CONTEXT_FIELDS = ("eventId", "timestamp", "eventType", "resource")
_MARKERS = ("data", "context", *CONTEXT_FIELDS)
_TOPIC_IN_PATH = re.compile(r"projects/[^/?]+/topics/[^/?]+")


class Context:
    """The ``context`` of a legacy event function: ``event_id``, ``timestamp``, ``event_type``
    and ``resource``, built like functions-framework's (same constructor, same ``str``)."""

    def __init__(self, eventId: Any = "", timestamp: Any = "", eventType: Any = "", resource: Any = ""):
        self.event_id = eventId
        self.timestamp = timestamp
        self.event_type = eventType
        self.resource = resource

    def __str__(self) -> str:
        return (
            f"{{event_id: {self.event_id}, timestamp: {self.timestamp},"
            f" event_type: {self.event_type}, resource: {self.resource}}}"
        )

    def __repr__(self) -> str:
        return (
            f"Context(eventId={self.event_id!r}, timestamp={self.timestamp!r},"
            f" eventType={self.event_type!r}, resource={self.resource!r})"
        )


@dataclasses.dataclass(frozen=True)
class LegacyEvent:
    """A legacy event as read from a request: its data, its context fields, and the top-level
    ``domain`` (Firebase Realtime Database events need it to become CloudEvents)."""

    data: Any
    event_id: Any = ""
    timestamp: Any = ""
    event_type: Any = ""
    resource: Any = ""
    domain: Any = None

    def context(self) -> Context:
        return Context(self.event_id, self.timestamp, self.event_type, self.resource)


def parse_legacy(body: JsonBody, path: str = "/") -> LegacyEvent:
    """The legacy event in a decoded request body.

    Raises :class:`NotAnEvent` when the body is not a legacy event at all, and
    :class:`MalformedLegacyEvent` when it is one with a part of the wrong shape.
    """
    if not body.ok:
        raise NotAnEvent(
            f"the request body {body.problem}; a legacy event is a JSON object with data and"
            " context"
        )
    value = body.value
    if not isinstance(value, dict):
        raise NotAnEvent(
            f"the request body is {described(value)}; a legacy event is a JSON object with"
            " data and context"
        )
    if is_pubsub_push(value):
        return pubsub_push_event(value, path)
    if not any(name in value for name in _MARKERS):
        raise NotAnEvent(
            "the JSON object in the request body is not a legacy event: it has none of data,"
            " context, eventId, eventType, timestamp, resource (nor message and subscription, as"
            " a Pub/Sub push has)"
        )
    context = value.get("context")
    if context is None:
        context = {}
    if not isinstance(context, dict):
        raise MalformedLegacyEvent(
            f"the legacy event's context is {described(context)}; it must be an object"
            " with eventId, timestamp, eventType and resource"
        )
    def field(name: str) -> Any:
        return context[name] if name in context else value.get(name, "")

    return LegacyEvent(
        data=value.get("data", ""),
        event_id=field("eventId"),
        timestamp=field("timestamp"),
        event_type=field("eventType"),
        resource=field("resource"),
        domain=value.get("domain"),
    )


def is_pubsub_push(value: dict[str, Any]) -> bool:
    """The body a Pub/Sub push subscription sends: ``message`` and ``subscription``, no context."""
    return "context" not in value and "subscription" in value and "message" in value


def pubsub_push_event(value: dict[str, Any], path: str) -> LegacyEvent:
    message = value["message"]
    if not isinstance(message, dict):
        raise MalformedLegacyEvent(
            f"the Pub/Sub push body's message is {described(message)}; it must be an"
            " object with messageId, data and attributes"
        )
    if "messageId" not in message:
        raise MalformedLegacyEvent("the Pub/Sub push body's message has no messageId")
    data: dict[str, Any] = {"@type": PUBSUB_MESSAGE_TYPE}
    if "data" in message:
        data["data"] = message["data"]
    data["attributes"] = message.get("attributes", {})
    match = _TOPIC_IN_PATH.search(path)
    resource = {
        "service": PUBSUB_SERVICE,
        "type": PUBSUB_MESSAGE_TYPE,
        "name": match.group(0) if match else "",
    }
    timestamp = message["publishTime"] if "publishTime" in message else utc_now_legacy()
    return LegacyEvent(data, message["messageId"], timestamp, PUBSUB_EVENT_TYPE, resource)


def utc_now_legacy() -> str:
    """The current time as functions-framework stamps a push without publishTime."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return now.isoformat() + "Z"
