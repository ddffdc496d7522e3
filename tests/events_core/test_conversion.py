"""Conversion rules the conformance data does not exercise, the tables' own consistency, and
the places where lastword deliberately differs from functions-framework-python 3.10.2."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from lastword._events import (
    Context,
    LegacyEvent,
    cloud_event_parts,
    cloudevent_to_legacy,
    legacy_event_from_request,
    legacy_to_cloudevent,
)
from lastword._events import _mapping as m

JSON = [("Content-Type", "application/json")]


def round_trip(event: LegacyEvent) -> tuple[dict[str, Any], Any, Any, Context]:
    attributes, data = legacy_to_cloudevent(event)
    back_data, context = cloudevent_to_legacy(attributes, data)
    return attributes, data, back_data, context


def test_storage_subject_leaves_out_the_generation() -> None:
    """mapping.md: the subject is the object name without its #generation (FF keeps it)."""
    event = LegacyEvent(
        {"kind": "storage#object"},
        "1",
        "t",
        "google.storage.object.finalize",
        {"service": m.STORAGE, "name": "projects/_/buckets/b/objects/a/b#c/MyFile#1588778055917163"},
    )
    attributes, _, _, context = round_trip(event)
    assert attributes["source"] == "//storage.googleapis.com/projects/_/buckets/b"
    assert attributes["subject"] == "objects/a/b#c/MyFile"
    assert context.resource == {
        "name": "projects/_/buckets/b/objects/a/b#c/MyFile",
        "service": m.STORAGE,
        "type": "storage#object",
    }


def test_older_type_spellings_convert_but_never_come_back() -> None:
    event = LegacyEvent(
        {"kind": "storage#object"}, "1", "t", "providers/cloud.storage/eventTypes/object.change",
        "projects/_/buckets/b/objects/o",
    )
    attributes, _, _, context = round_trip(event)
    assert attributes["type"] == "google.cloud.storage.object.v1.finalized"
    assert attributes["source"] == "//storage.googleapis.com/projects/_/buckets/b"
    assert context.event_type == "google.storage.object.finalize"


def test_firestore_named_database() -> None:
    """Any database, not only (default) as in FF."""
    name = "projects/p/databases/orders/documents/users/alice"
    event = LegacyEvent({}, "1", "t", "providers/cloud.firestore/eventTypes/document.create", name)
    attributes, _, _, context = round_trip(event)
    assert attributes["source"] == "//firestore.googleapis.com/projects/p/databases/orders"
    assert attributes["subject"] == "documents/users/alice"
    assert context.resource == name
    assert context.event_type == "providers/cloud.firestore/eventTypes/document.create"


def test_firebase_analytics_follows_the_mapping_document() -> None:
    """Source //firebaseanalytics.googleapis.com/projects/{p}/apps/{app} (FF uses
    firebase.googleapis.com without the app), and back to the legacy resource."""
    data = {"userDim": {"appInfo": {"appId": "com.example.app"}}, "eventDim": [{"name": "purchase"}]}
    event = LegacyEvent(
        data, "1", "t", "providers/google.firebase.analytics/eventTypes/event.log",
        "projects/p/events/purchase",
    )
    attributes, ce_data, back, context = round_trip(event)
    assert attributes["source"] == "//firebaseanalytics.googleapis.com/projects/p/apps/com.example.app"
    assert attributes["subject"] == "events/purchase"
    assert attributes["type"] == "google.firebase.analytics.log.v1.written"
    assert ce_data == back == data
    assert context.resource == "projects/p/events/purchase"


def test_firebase_remote_config() -> None:
    """In mapping.md, missing from FF: the event has no subject."""
    event = LegacyEvent({"versionNumber": "2"}, "1", "t", "providers/firebase.remoteConfig/remoteconfig.update", "projects/p")
    attributes, _, _, context = round_trip(event)
    assert attributes["source"] == "//firebaseremoteconfig.googleapis.com/projects/p"
    assert "subject" not in attributes
    assert attributes["type"] == "google.firebase.remoteconfig.remoteConfig.v1.updated"
    assert context.resource == "projects/p"
    assert context.event_type == "providers/firebase.remoteConfig/remoteconfig.update"


def test_conversion_leaves_its_input_alone() -> None:
    """FF rewrites the data it converts in place; here the input is untouched."""
    pubsub = {"@type": "x", "data": "aGk=", "attributes": {"a": "b"}}
    auth = {"uid": "u", "metadata": {"createdAt": "c", "lastSignedInAt": "l"}}
    for event in (
        LegacyEvent(pubsub, "1", "t", "google.pubsub.topic.publish", "projects/p/topics/t"),
        LegacyEvent(auth, "1", "t", "providers/firebase.auth/eventTypes/user.create", "projects/p"),
    ):
        before = copy.deepcopy(event.data)
        attributes, data = legacy_to_cloudevent(event)
        assert event.data == before
        snapshot = copy.deepcopy(data)
        cloudevent_to_legacy(attributes, data)
        assert data == snapshot


def test_every_type_has_a_service_and_comes_back() -> None:
    for legacy_type, ce_type in m.LEGACY_TO_CLOUDEVENT_TYPE.items():
        assert any(legacy_type.startswith(prefix) for prefix, _ in m.SERVICE_BY_TYPE_PREFIX), legacy_type
        assert m.LEGACY_TO_CLOUDEVENT_TYPE[m.CLOUDEVENT_TO_LEGACY_TYPE[ce_type]] == ce_type
    assert len(m.CLOUDEVENT_TO_LEGACY_TYPE) == len(set(m.LEGACY_TO_CLOUDEVENT_TYPE.values()))


def test_context_first_then_the_top_level() -> None:
    """mapping.md: each field from context, else from the top level (FF reads only the context
    when there is one, and gives "" for what it lacks)."""
    body = {"context": {"eventId": "from-context"}, "eventId": "flat", "eventType": "flat-type", "data": 1}
    data, context = legacy_event_from_request(JSON, json.dumps(body).encode())
    assert (data, context.event_id, context.event_type, context.timestamp) == (1, "from-context", "flat-type", "")


def test_structured_google_cloudevent_is_converted_for_an_event_function() -> None:
    """FF converts binary-mode CloudEvents only, and gives a structured one to an event function
    as its data member with an empty context; lastword converts both modes alike."""
    event = {
        "specversion": "1.0",
        "id": "7",
        "source": "//pubsub.googleapis.com/projects/p/topics/t",
        "type": "google.cloud.pubsub.topic.v1.messagePublished",
        "time": "2021-01-01T00:00:00Z",
        "data": {"subscription": "s", "message": {"messageId": "7", "data": "aGk="}},
    }
    data, context = legacy_event_from_request(
        [("Content-Type", "application/cloudevents+json")], json.dumps(event).encode()
    )
    assert data == {"data": "aGk="}
    assert vars(context) == {
        "event_id": "7",
        "timestamp": "2021-01-01T00:00:00Z",
        "event_type": "google.pubsub.topic.publish",
        "resource": {"service": m.PUBSUB, "name": "projects/p/topics/t", "type": "type.googleapis.com/google.pubsub.v1.PubsubMessage"},
    }


def test_pubsub_push_without_data() -> None:
    """An attribute-only Pub/Sub message is still a push (FF requires message.data and otherwise
    hands the body over as a legacy event with empty data and context)."""
    push = {"subscription": "s", "message": {"messageId": "9", "attributes": {"k": "v"}, "publishTime": "p"}}
    data, context = legacy_event_from_request(JSON, json.dumps(push).encode(), "/projects/p/topics/t")
    assert data == {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage", "attributes": {"k": "v"}}
    assert (context.event_id, context.timestamp, context.event_type) == ("9", "p", "google.pubsub.topic.publish")
    attributes, ce_data = cloud_event_parts(JSON, json.dumps(push).encode(), "/projects/p/topics/t")
    assert ce_data["message"]["attributes"] == {"k": "v"}
    assert attributes["source"] == "//pubsub.googleapis.com/projects/p/topics/t"


def test_pubsub_push_stamped_when_it_has_no_publish_time() -> None:
    push = {"subscription": "s", "message": {"messageId": "9", "data": "aGk="}}
    _, context = legacy_event_from_request(JSON, json.dumps(push).encode())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", context.timestamp)
    assert context.resource["name"] == ""


def test_context_reads_like_functions_frameworks() -> None:
    context = Context(eventId="1", timestamp="t", eventType="e", resource="r")
    assert (context.event_id, context.timestamp, context.event_type, context.resource) == ("1", "t", "e", "r")
    assert str(context) == "{event_id: 1, timestamp: t, event_type: e, resource: r}"
    assert vars(Context()) == {"event_id": "", "timestamp": "", "event_type": "", "resource": ""}


@pytest.mark.parametrize("missing", ["time", None])
def test_cloudevent_without_time_gets_one_like_the_sdk_gives(missing: str | None) -> None:
    attributes = {
        "specversion": "1.0",
        "id": "1",
        "source": "//firestore.googleapis.com/projects/p/databases/(default)",
        "type": "google.cloud.firestore.document.v1.written",
        "subject": "documents/c/d",
    }
    if missing is None:
        attributes["time"] = "2020-01-01T00:00:00Z"
    _, context = cloudevent_to_legacy(attributes, {})
    if missing is None:
        assert context.timestamp == "2020-01-01T00:00:00Z"
    else:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", context.timestamp)
