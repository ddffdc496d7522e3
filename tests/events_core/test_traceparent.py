"""The request's W3C ``traceparent`` header becomes the CloudEvent's ``traceparent`` extension
(Distributed Tracing extension), with ``tracestate``, unless the event carries its own.

functions-framework-python 3.10.2 does not do this (only a ``ce-traceparent`` header reaches the
event); the Node.js Functions Framework does. A header that is not a valid W3C traceparent is
ignored, as the W3C Trace Context specification asks.
"""

from __future__ import annotations

import json

import pytest

from lastword._events import cloud_event_from_request, legacy_event_from_request

from .conformance import written_cloud_event

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
OTHER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
B = [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "//s/x"), ("ce-type", "t")]
LEGACY = json.dumps(
    {
        "eventId": "1",
        "timestamp": "2020-01-01T00:00:00Z",
        "eventType": "google.pubsub.topic.publish",
        "resource": "projects/p/topics/t",
        "data": {"data": "aGk="},
    }
).encode()


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        (B, b"{}"),
        ([("Content-Type", "application/cloudevents+json")], b'{"specversion": "1.0", "id": "1", "source": "s", "type": "t"}'),
        ([("Content-Type", "application/json")], LEGACY),
    ],
    ids=["binary", "structured", "converted-legacy"],
)
def test_header_becomes_the_extension(headers: list[tuple[str, str]], body: bytes) -> None:
    event = cloud_event_from_request([*headers, ("traceparent", PARENT), ("tracestate", "congo=t61rcWkgMzE")], body)
    assert event["traceparent"] == PARENT
    assert event["tracestate"] == "congo=t61rcWkgMzE"
    assert json.loads(written_cloud_event(event))["traceparent"] == PARENT


def test_the_events_own_traceparent_wins() -> None:
    """The extension records where the event was made; the header is only the delivery's hop."""
    event = cloud_event_from_request(
        [*B, ("ce-traceparent", OTHER), ("traceparent", PARENT), ("tracestate", "a=b")], b""
    )
    assert event["traceparent"] == OTHER
    assert "tracestate" not in event


def test_no_header_no_extension() -> None:
    assert "traceparent" not in cloud_event_from_request(B, b"")


@pytest.mark.parametrize(
    "header",
    [
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  # no flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  # upper case
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  # version 00 has 4 parts
        "not a traceparent",
    ],
)
def test_an_invalid_header_is_ignored(header: str) -> None:
    assert "traceparent" not in cloud_event_from_request([*B, ("traceparent", header)], b"")


def test_a_later_version_may_carry_more() -> None:
    header = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"
    assert cloud_event_from_request([*B, ("traceparent", header)], b"")["traceparent"] == header


def test_legacy_functions_are_unaffected() -> None:
    data, context = legacy_event_from_request([("Content-Type", "application/json"), ("traceparent", PARENT)], LEGACY)
    assert data == {"data": "aGk="}
    assert not hasattr(context, "traceparent")
