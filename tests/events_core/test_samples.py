"""Sample events (for ``lastword call``) as requests, in each mode, read back by the same core
a server uses; and any event from a JSON file, converted when the mode asks for it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from lastword._events import (
    SAMPLE_KINDS,
    EventRequestError,
    cloud_event_parts,
    encode_event,
    legacy_event_from_request,
    sample_event,
    sample_request,
)

from . import conformance as c

ID, TIME = "sample-1", "2024-05-01T12:00:00.000Z"
PUSH_ONLY = "subscription"


def test_the_named_kinds_exist() -> None:
    assert {"pubsub", "storage", "firestore"} <= set(SAMPLE_KINDS)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("mode", ["binary", "structured"])
def test_a_cloudevent_arrives_as_sampled(kind: str, mode: str) -> None:
    event = sample_event(kind, event_id=ID, time=TIME)
    headers, body = sample_request(kind, mode, event_id=ID, time=TIME)  # type: ignore[arg-type]
    attributes, data = cloud_event_parts(headers, body)
    assert data == event["data"]
    assert attributes == {k: v for k, v in event.items() if k != "data"}
    assert attributes["id"] == ID and attributes["time"] == TIME


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_a_legacy_sample_converts_back_to_the_cloudevent(kind: str) -> None:
    """Sent as a legacy event to a cloudevent function, the sample comes back whole, but for
    what legacy events cannot carry (a Pub/Sub push's subscription)."""
    event = sample_event(kind, event_id=ID, time=TIME)
    attributes, data = cloud_event_parts(*sample_request(kind, "legacy", event_id=ID, time=TIME))
    want = event["data"]
    if kind == "pubsub":
        want = {k: v for k, v in want.items() if k != PUSH_ONLY}
    assert data == want
    assert attributes == {k: v for k, v in event.items() if k != "data"}


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_an_event_function_gets_the_same_from_every_mode(kind: str) -> None:
    received = []
    for mode in ("binary", "structured", "legacy"):
        data, context = legacy_event_from_request(*sample_request(kind, mode, event_id=ID, time=TIME))  # type: ignore[arg-type]
        received.append((data, vars(context)))
    assert received[0] == received[1] == received[2]
    assert received[0][1]["event_id"] == ID
    assert received[0][1]["timestamp"] == TIME
    assert received[0][1]["event_type"]


def test_defaults_are_fresh() -> None:
    first, second = sample_event("pubsub"), sample_event("pubsub")
    assert first["id"] != second["id"]
    assert re.fullmatch(r"[0-9a-f-]{36}", first["id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["time"])
    assert first["data"]["message"]["messageId"] == first["id"]


def test_binary_request_shape() -> None:
    headers, body = sample_request("storage", "binary", event_id=ID, time=TIME)
    assert headers[0] == ("content-type", "application/json")
    assert ("ce-subject", "objects/folder/hello.txt") in headers
    assert not any(name == "ce-datacontenttype" for name, _ in headers)
    assert json.loads(body)["kind"] == "storage#object"


@pytest.mark.parametrize("name", c.case_names())
def test_a_conformance_legacy_file_sent_as_a_cloudevent(name: str) -> None:
    """``lastword call --file legacy.json --mode binary`` sends what a cloudevent function
    should receive from that legacy event."""
    headers, body = encode_event(c.load(name, "legacy-input"), "binary")
    attributes, data = cloud_event_parts(headers, body)
    want = c.expected(name, "cloudevent", converted=True)
    assert data == want["data"]
    assert attributes == {k: v for k, v in want.items() if k != "data"}


@pytest.mark.parametrize("name", c.case_names())
def test_a_conformance_cloudevent_file_sent_as_legacy(name: str) -> None:
    headers, body = encode_event(c.load(name, "cloudevent-input"), "legacy")
    written = c.written_legacy_event(*legacy_event_from_request(headers, body))
    assert c.legacy_event_mismatches(written, c.expected(name, "legacy", converted=True)) == []


def test_a_legacy_file_in_legacy_mode_is_sent_as_it_is() -> None:
    event = {"eventType": "x.y", "eventId": "1", "data": {"k": "v"}, "extra": [1]}
    headers, body = encode_event(event, "legacy")
    assert headers == [("content-type", "application/json")]
    assert json.loads(body) == event


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: sample_event("kafka"), "no sample event is called 'kafka'; the samples are pubsub, storage, firestore"),
        (lambda: encode_event(sample_event("pubsub"), "carrier-pigeon"), "unknown mode 'carrier-pigeon'"),  # type: ignore[arg-type]
        (
            lambda: encode_event({**sample_event("pubsub"), "myext": "caf\u00e9"}, "binary"),
            "the attribute myext cannot be sent as a ce-myext header",
        ),
        (
            lambda: encode_event({**sample_event("pubsub"), "type": "com.example.custom"}, "legacy"),
            "the CloudEvent type 'com.example.custom' has no legacy equivalent",
        ),
        (
            lambda: encode_event(
                {k: v for k, v in sample_event("firestore").items() if k != "data"} | {"data_base64": "AAEC"},
                "legacy",
            ),
            "the event's data is binary; a legacy event carries JSON data only",
        ),
    ],
)
def test_what_cannot_be_sent(call: Any, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        call()
    assert str(caught.value).startswith(problem)


def test_an_invalid_event_file_is_refused_with_the_servers_message() -> None:
    with pytest.raises(EventRequestError, match="the attribute source is missing or null"):
        encode_event({"specversion": "1.0", "id": "1", "type": "t"}, "structured")
    with pytest.raises(EventRequestError, match="is not a Google event type"):
        encode_event({"eventType": "x.y", "data": {}}, "binary")


def test_non_string_attributes_in_binary_mode() -> None:
    event = {"specversion": "1.0", "id": "1", "source": "s", "type": "t", "count": 3, "flag": True}
    headers, body = encode_event(event, "binary")
    assert ("ce-count", "3") in headers and ("ce-flag", "true") in headers
    assert body == b""
    headers, body = encode_event({**event, "data_base64": "AAEC"}, "binary")
    assert headers[0] == ("content-type", "application/octet-stream")
    assert body == b"\x00\x01\x02"
    headers, body = encode_event({**event, "data_base64": "AAEC"}, "structured")
    assert json.loads(body)["data_base64"] == "AAEC"
