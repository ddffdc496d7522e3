"""Requests that hold no usable event: the error (a 400) and its exact message, for a cloudevent
function and for an event function. No message repeats the request body."""

from __future__ import annotations

import pytest

from lastword._events import (
    BatchNotSupported,
    ConversionFailed,
    EventRequestError,
    MalformedCloudEvent,
    MalformedLegacyEvent,
    NotAnEvent,
    cloud_event_from_request,
    legacy_event_from_request,
)

B = [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "//s/x"), ("ce-type", "t")]
JSON = [("Content-Type", "application/json")]
STRUCTURED = [("Content-Type", "application/cloudevents+json")]
NEEDS = "an event needs specversion, id, source, type"
BINARY = "malformed CloudEvent (binary content mode)"
STRUCT = "malformed CloudEvent (structured content mode)"
NOT_CE = "the request is neither a CloudEvent nor a legacy event"
SEND = "Send a CloudEvent, or a legacy event (a JSON object with data and context) to have it converted"
LEGACY_SHAPE = "a legacy event is a JSON object with data and context"
TO_CE = "cannot convert the legacy event to a CloudEvent"
TO_LEGACY = "cannot convert the CloudEvent to a legacy event"


def structured(**members: object) -> bytes:
    import json

    return json.dumps(members).encode()


# Both kinds of function refuse these alike.
BOTH: list[tuple[str, list[tuple[str, str]], bytes, type[EventRequestError], str]] = [
    (
        "batch",
        [("Content-Type", "application/cloudevents-batch+json")],
        b"[]",
        BatchNotSupported,
        "CloudEvents batch mode (Content-Type application/cloudevents-batch+json) is not supported:"
        " send one event per request, in binary or structured content mode",
    ),
    (
        "binary-missing-headers",
        [("ce-specversion", "1.0"), ("ce-type", "t")],
        b"{}",
        MalformedCloudEvent,
        f"{BINARY}: missing the headers ce-id, ce-source; a binary-mode event needs ce-specversion,"
        " ce-id, ce-source, ce-type",
    ),
    (
        "binary-empty-id",
        [B[0], ("ce-id", ""), *B[2:]],
        b"{}",
        MalformedCloudEvent,
        f"{BINARY}: the header ce-id is empty",
    ),
    (
        "binary-empty-id-and-type",
        [B[0], ("ce-id", " "), B[2], ("ce-type", "")],
        b"{}",
        MalformedCloudEvent,
        f"{BINARY}: the headers ce-id, ce-type are empty",
    ),
    (
        "binary-unknown-specversion",
        [("ce-specversion", "2.0"), *B[1:]],
        b"{}",
        MalformedCloudEvent,
        f"{BINARY}: the header ce-specversion is '2.0'; supported versions are 1.0 and 0.3",
    ),
    (
        "duplicate-ce-header",
        [*B, ("CE-ID", "2")],
        b"{}",
        EventRequestError,
        "the request has the header ce-id more than once; an event has one value for it: send the"
        " header once",
    ),
    ("structured-not-json", STRUCTURED, b"{nope", MalformedCloudEvent,
     f"{STRUCT}: the body is not valid JSON (Expecting property name enclosed in double quotes at"
     " line 1, column 2)"),
    ("structured-empty", STRUCTURED, b"", MalformedCloudEvent, f"{STRUCT}: the body is empty"),
    (
        "structured-array",
        STRUCTURED,
        b"[1]",
        MalformedCloudEvent,
        f"{STRUCT}: the body is a JSON array, expected an object with specversion, id, source, type"
        " and data",
    ),
    (
        "structured-missing",
        STRUCTURED,
        structured(specversion="1.0", id="1"),
        MalformedCloudEvent,
        f"{STRUCT}: the attributes source, type are missing or null; {NEEDS}",
    ),
    (
        "structured-null-id",
        STRUCTURED,
        structured(specversion="1.0", id=None, source="s", type="t"),
        MalformedCloudEvent,
        f"{STRUCT}: the attribute id is missing or null; {NEEDS}",
    ),
    (
        "structured-number-id",
        STRUCTURED,
        structured(specversion="1.0", id=5, source="s", type="t"),
        MalformedCloudEvent,
        f"{STRUCT}: the attribute id must be a non-empty string, got a JSON number",
    ),
    (
        "structured-empty-source",
        STRUCTURED,
        structured(specversion="1.0", id="1", source="", type="t"),
        MalformedCloudEvent,
        f"{STRUCT}: the attribute source must be a non-empty string, got an empty string",
    ),
    (
        "structured-unknown-specversion-as-json",
        JSON,
        structured(specversion="2.0", id="1", source="s", type="t"),
        MalformedCloudEvent,
        f"{STRUCT}: the attribute specversion is '2.0'; supported versions are 1.0 and 0.3",
    ),
    (
        "structured-data-twice",
        STRUCTURED,
        structured(specversion="1.0", id="1", source="s", type="t", data=1, data_base64="AA=="),
        MalformedCloudEvent,
        f"{STRUCT}: the event has both data and data_base64; send the data in one of them",
    ),
    (
        "structured-bad-base64",
        STRUCTURED,
        structured(specversion="1.0", id="1", source="s", type="t", data_base64="abc"),
        MalformedCloudEvent,
        f"{STRUCT}: data_base64 is not valid base64",
    ),
    (
        "structured-base64-number",
        STRUCTURED,
        structured(specversion="1.0", id="1", source="s", type="t", data_base64=5),
        MalformedCloudEvent,
        f"{STRUCT}: data_base64 must be a string, got a JSON number",
    ),
    (
        "legacy-context-not-object",
        JSON,
        b'{"context": "secret-ish", "data": {}}',
        MalformedLegacyEvent,
        "the legacy event's context is a JSON string; it must be an object with eventId,"
        " timestamp, eventType and resource",
    ),
    (
        "push-message-not-object",
        JSON,
        b'{"message": "secret-ish", "subscription": "s"}',
        MalformedLegacyEvent,
        "the Pub/Sub push body's message is a JSON string; it must be an object with messageId,"
        " data and attributes",
    ),
    (
        "push-without-message-id",
        JSON,
        b'{"message": {"data": "c2VjcmV0"}, "subscription": "s"}',
        MalformedLegacyEvent,
        "the Pub/Sub push body's message has no messageId",
    ),
]

# A cloudevent function: no event at all, or a legacy event that cannot become a CloudEvent.
CLOUDEVENT_ONLY: list[tuple[str, list[tuple[str, str]], bytes, type[EventRequestError], str]] = [
    (
        "empty",
        [],
        b"",
        NotAnEvent,
        f"{NOT_CE}: it has no ce-specversion header (binary content mode), it has no Content-Type"
        " application/cloudevents+json (structured content mode), and its body is empty. " + SEND,
    ),
    (
        "text",
        [("Content-Type", "text/plain")],
        b"secret text",
        NotAnEvent,
        f"{NOT_CE}: it has no ce-specversion header (binary content mode), its Content-Type is"
        " text/plain, not application/cloudevents+json (structured content mode), and its body is"
        " not valid JSON (Expecting value at line 1, column 1). " + SEND,
    ),
    (
        "json-array",
        JSON,
        b'["secret"]',
        NotAnEvent,
        f"{NOT_CE}: it has no ce-specversion header (binary content mode), its Content-Type is"
        " application/json, not application/cloudevents+json (structured content mode), and its"
        " body is a JSON array, not an object. " + SEND,
    ),
    (
        "json-object-of-nothing",
        [("Content-Type", "application/json; charset=utf-8"), ("ce-id", "1"), ("ce-type", "t")],
        b'{"secret": 1}',
        NotAnEvent,
        f"{NOT_CE}: it has ce-id, ce-type but no ce-specversion header (binary content mode), its"
        " Content-Type is application/json, not application/cloudevents+json (structured content"
        " mode), and its JSON body has neither specversion (a CloudEvent) nor data or context (a"
        " legacy event). " + SEND,
    ),
    (
        "json-nested-too-deep",
        JSON,
        b"[" * 100_000,
        NotAnEvent,
        f"{NOT_CE}: it has no ce-specversion header (binary content mode), its Content-Type is"
        " application/json, not application/cloudevents+json (structured content mode), and its"
        " body is JSON nested too deeply to decode. " + SEND,
    ),
    (
        "legacy-unknown-type",
        JSON,
        b'{"eventType": "x.y", "eventId": "1", "resource": "r", "data": {}}',
        ConversionFailed,
        f"{TO_CE}: its eventType 'x.y' is not a Google event type with a CloudEvent equivalent;"
        " declare the function with the event signature type (def f(data, context)) to receive it"
        " as it is",
    ),
    (
        "legacy-no-type",
        JSON,
        b'{"data": {"secret": 1}}',
        ConversionFailed,
        f"{TO_CE}: it has no eventType (in context or at the top level), so its CloudEvent type is"
        " unknown",
    ),
    (
        "legacy-no-resource",
        JSON,
        b'{"eventType": "google.pubsub.topic.publish", "data": {}}',
        ConversionFailed,
        f"{TO_CE}: its resource is missing; it must be a resource name, or an object with service"
        " and name",
    ),
    (
        "legacy-resource-object-without-name",
        JSON,
        b'{"eventType": "google.pubsub.topic.publish", "resource": {"service": "pubsub.googleapis.com"}, "data": {}}',
        ConversionFailed,
        f"{TO_CE}: its resource object has no name",
    ),
    (
        "legacy-storage-resource-without-object",
        JSON,
        b'{"eventType": "google.storage.object.finalize", "resource": "projects/_/buckets/b", "data": {}}',
        ConversionFailed,
        f"{TO_CE}: its resource 'projects/_/buckets/b' is not of the form"
        " projects/_/buckets/{bucket}/objects/{object} that storage.googleapis.com events have",
    ),
    (
        "legacy-database-without-domain",
        JSON,
        b'{"eventType": "providers/google.firebase.database/eventTypes/ref.write",'
        b' "resource": "projects/_/instances/i/refs/a", "data": {}}',
        ConversionFailed,
        f"{TO_CE}: a Firebase Realtime Database event needs the top-level field domain (for example"
        " firebaseio.com) to know the database's location",
    ),
    (
        "legacy-pubsub-data-not-object",
        JSON,
        b'{"eventType": "google.pubsub.topic.publish", "resource": "projects/p/topics/t", "data": "secret"}',
        ConversionFailed,
        f"{TO_CE}: the data of a Pub/Sub event must be a JSON object (a PubsubMessage), got a JSON"
        " string",
    ),
    (
        "legacy-analytics-without-app",
        JSON,
        b'{"eventType": "providers/google.firebase.analytics/eventTypes/event.log",'
        b' "resource": "projects/p/events/e", "data": {}}',
        ConversionFailed,
        f"{TO_CE}: a Firebase Analytics event needs data.userDim.appInfo.appId (the app of its"
        " source)",
    ),
]

PUBSUB_BINARY = [
    ("ce-specversion", "1.0"),
    ("ce-id", "1"),
    ("ce-type", "google.cloud.pubsub.topic.v1.messagePublished"),
]

# An event function: no legacy event, or a CloudEvent of a Google type that cannot be converted.
EVENT_ONLY: list[tuple[str, list[tuple[str, str]], bytes, type[EventRequestError], str]] = [
    ("empty", [], b"", NotAnEvent, f"the request body is empty; {LEGACY_SHAPE}"),
    (
        "text",
        [("Content-Type", "text/plain")],
        b"secret text",
        NotAnEvent,
        f"the request body is not valid JSON (Expecting value at line 1, column 1); {LEGACY_SHAPE}",
    ),
    ("json-array", JSON, b'["secret"]', NotAnEvent, f"the request body is a JSON array; {LEGACY_SHAPE}"),
    (
        "json-object-of-nothing",
        JSON,
        b'{"secret": 1}',
        NotAnEvent,
        "the JSON object in the request body is not a legacy event: it has none of data, context,"
        " eventId, eventType, timestamp, resource (nor message and subscription, as a Pub/Sub push"
        " has)",
    ),
    (
        "cloudevent-source-not-google",
        [*PUBSUB_BINARY, ("ce-source", "https://example.com/topic")],
        b'{"message": {}}',
        ConversionFailed,
        f"{TO_LEGACY}: its source 'https://example.com/topic' is not of the form"
        " //{service}/{resource}",
    ),
    (
        "cloudevent-pubsub-data-not-object",
        [*PUBSUB_BINARY, ("ce-source", "//pubsub.googleapis.com/projects/p/topics/t")],
        b"secret bytes",
        ConversionFailed,
        f"{TO_LEGACY}: the data of a Pub/Sub event must be a JSON object with a message object, got"
        " bytes that are not JSON",
    ),
    (
        "cloudevent-storage-without-kind",
        [
            ("ce-specversion", "1.0"),
            ("ce-id", "1"),
            ("ce-type", "google.cloud.storage.object.v1.finalized"),
            ("ce-source", "//storage.googleapis.com/projects/_/buckets/b"),
            ("ce-subject", "objects/o"),
        ],
        b'{"name": "o"}',
        ConversionFailed,
        f"{TO_LEGACY}: the data of a Cloud Storage event must be an object with kind (for example"
        " storage#object)",
    ),
    (
        "cloudevent-storage-without-subject",
        [
            ("ce-specversion", "1.0"),
            ("ce-id", "1"),
            ("ce-type", "google.cloud.storage.object.v1.finalized"),
            ("ce-source", "//storage.googleapis.com/projects/_/buckets/b"),
        ],
        b'{"kind": "storage#object"}',
        ConversionFailed,
        f"{TO_LEGACY}: a Cloud Storage event needs a subject (objects/...)",
    ),
]


def _ids(table: list[tuple[str, ...]]) -> list[str]:  # type: ignore[type-arg]
    return [row[0] for row in table]


def _check(call: object, headers: list[tuple[str, str]], body: bytes, kind: type[Exception], message: str) -> None:
    with pytest.raises(EventRequestError) as caught:
        call(headers, body)  # type: ignore[operator]
    assert type(caught.value) is kind
    assert str(caught.value) == message
    assert caught.value.status_code == 400
    assert b"secret" not in str(caught.value).encode()


@pytest.mark.parametrize(("name", "headers", "body", "kind", "message"), BOTH + CLOUDEVENT_ONLY, ids=_ids(BOTH + CLOUDEVENT_ONLY))
def test_cloudevent_function_refuses(
    name: str, headers: list[tuple[str, str]], body: bytes, kind: type[Exception], message: str
) -> None:
    _check(cloud_event_from_request, headers, body, kind, message)


@pytest.mark.parametrize(("name", "headers", "body", "kind", "message"), BOTH + EVENT_ONLY, ids=_ids(BOTH + EVENT_ONLY))
def test_event_function_refuses(
    name: str, headers: list[tuple[str, str]], body: bytes, kind: type[Exception], message: str
) -> None:
    _check(legacy_event_from_request, headers, body, kind, message)


def test_long_values_are_shortened() -> None:
    """A quoted value from the request never runs on: long ones are cut."""
    long_type = "x" * 500
    with pytest.raises(ConversionFailed) as caught:
        cloud_event_from_request(JSON, b'{"eventType": "%s", "data": {}}' % long_type.encode())
    assert "'" + "x" * 57 + "...'" in str(caught.value)
    assert long_type not in str(caught.value)


def test_headers_as_bytes_pairs_and_mappings() -> None:
    """ASGI raw header pairs, and a mapping, are read like str pairs."""
    raw = [(name.encode(), value.encode()) for name, value in B] + [(b"content-type", b"application/json")]
    assert cloud_event_from_request(raw, b'{"a": 1}').data == {"a": 1}
    assert cloud_event_from_request(dict(B), b"").data is None
    with pytest.raises(EventRequestError, match="ce-id more than once"):
        cloud_event_from_request([*raw, (b"ce-id", b"2")], b"")
