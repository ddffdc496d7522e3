"""What a function receives from lastword is what functions-framework-python 3.10.2 gives it.

Each request of the table (and every conformance input) goes through functions-framework's own
Flask app (in a subprocess, with its test client) and through lastword's event core; the objects
the functions receive are compared: the class of a CloudEvent, its attributes in order, its data
(bytes stay bytes), and a legacy event's data and context attributes. Values the frameworks
generate (a missing ``time``, a missing Pub/Sub ``publishTime``) are compared by their format.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lastword._events import cloud_event_from_request, legacy_event_from_request

from . import conformance as c

PROBE = Path(__file__).with_name("ff_probe.py")
B = [("ce-specversion", "1.0"), ("ce-id", "A234-1234"), ("ce-source", "//example/s"), ("ce-type", "com.example.thing")]
JSON = [("Content-Type", "application/json")]
STRUCTURED = [("Content-Type", "application/cloudevents+json")]
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
SDK_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
FF_PUSH_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def ce(**members: Any) -> bytes:
    return json.dumps({"specversion": "1.0", "id": "1", "source": "//s/x", "type": "t", **members}).encode()


PUSH = {
    "subscription": "projects/p/subscriptions/s",
    "message": {"messageId": "42", "data": "aGk=", "attributes": {"a": "b"}, "publishTime": "2020-01-01T00:00:00Z"},
}
PUSH_NO_TIME = {"subscription": "projects/p/subscriptions/s", "message": {"messageId": "42", "data": "aGk="}}
GCS = {
    "context": {
        "eventId": "9",
        "timestamp": "2020-09-29T11:32:00.123Z",
        "eventType": "google.storage.object.finalize",
        "resource": {"service": "storage.googleapis.com", "name": "projects/_/buckets/b/objects/o.txt", "type": "storage#object"},
    },
    "data": {"bucket": "b", "name": "o.txt", "kind": "storage#object"},
}
PUBSUB_CE = [
    ("Content-Type", "application/json"),
    ("ce-specversion", "1.0"),
    ("ce-id", "7"),
    ("ce-source", "//pubsub.googleapis.com/projects/p/topics/t"),
    ("ce-type", "google.cloud.pubsub.topic.v1.messagePublished"),
    ("ce-time", "2021-01-01T00:00:00Z"),
]

# (id, function, headers, body, path)
CASES: list[tuple[str, str, list[tuple[str, str]], bytes, str]] = [
    ("binary-json", "cloudevent", [*B, ("Content-Type", "application/json; charset=utf-8"), ("ce-time", "2020-01-01T00:00:00Z")], b'{"a": [1, 2.5, null]}', "/"),
    ("binary-text-is-bytes", "cloudevent", [*B, ("Content-Type", "text/plain")], b"hello", "/"),
    ("binary-text-that-parses", "cloudevent", [*B, ("Content-Type", "text/plain")], b"123", "/"),
    ("binary-not-utf8", "cloudevent", [*B, ("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n\x00", "/"),
    ("binary-empty-no-time", "cloudevent", B, b"", "/"),
    (
        "binary-extensions",
        "cloudevent",
        [*B, ("ce-subject", "x/y"), ("ce-dataschema", "https://s"), ("ce-myext", "v"), ("ce-traceparent", TRACEPARENT), ("Content-Type", "application/json")],
        b"[]",
        "/",
    ),
    ("structured-data-empty-string", "cloudevent", STRUCTURED, ce(data=""), "/"),
    ("structured-data-null", "cloudevent", STRUCTURED, ce(data=None), "/"),
    ("structured-no-data", "cloudevent", STRUCTURED, ce(time="2020-01-01T00:00:00Z"), "/"),
    ("structured-base64-json", "cloudevent", STRUCTURED, ce(data_base64=base64.b64encode(b'{"a": 1}').decode()), "/"),
    ("structured-base64-bytes", "cloudevent", STRUCTURED, ce(data_base64=base64.b64encode(b"\x00\x01\xff").decode()), "/"),
    ("structured-base64-empty", "cloudevent", STRUCTURED, ce(data_base64=""), "/"),
    ("structured-extensions", "cloudevent", STRUCTURED, ce(subject=None, myint=5, myobj={"k": 1}, datacontenttype="application/json", data={"x": 1}), "/"),
    ("structured-as-application-json", "cloudevent", JSON, ce(data={"x": "y"}), "/"),
    ("structured-v03", "cloudevent", STRUCTURED, ce(specversion="0.3", data="text"), "/"),
    ("legacy-storage-context-form", "cloudevent", JSON, json.dumps(GCS).encode(), "/"),
    ("pubsub-push", "cloudevent", JSON, json.dumps(PUSH).encode(), "/projects/p/topics/t"),
    ("pubsub-push-no-publish-time", "cloudevent", JSON, json.dumps(PUSH_NO_TIME).encode(), "/projects/p/topics/t?x=1"),
    ("binary-pubsub", "event", PUBSUB_CE, json.dumps({"subscription": "s", "message": {"messageId": "7", "data": "aGk="}}).encode(), "/"),
    ("binary-unknown-type", "event", [*B, ("Content-Type", "application/json")], b'{"a": 1}', "/"),
    (
        "binary-unknown-type-gcf-headers",
        "event",
        [*B, ("ce-eventId", "e1"), ("ce-timestamp", "t1"), ("ce-eventType", "et"), ("ce-resource", "r")],
        b"raw",
        "/",
    ),
    ("legacy-context-form", "event", JSON, json.dumps(GCS).encode(), "/"),
    ("legacy-unknown-type", "event", JSON, b'{"eventType": "x.y", "eventId": "1", "data": {"k": [1]}}', "/"),
    ("legacy-only-data", "event", JSON, b'{"data": "just data"}', "/"),
    ("pubsub-push", "event", JSON, json.dumps(PUSH).encode(), "/projects/p/topics/t"),
    ("pubsub-push-no-topic-in-path", "event", JSON, json.dumps(PUSH).encode(), "/"),
    ("pubsub-push-no-publish-time", "event", JSON, json.dumps(PUSH_NO_TIME).encode(), "/x/projects/p/topics/t"),
    ("structured-unknown-type", "event", JSON, ce(data={"x": 1}), "/"),
]


def _conformance_cases() -> list[tuple[str, str, list[tuple[str, str]], bytes, str]]:
    if c.data_dir() is None:
        return []
    cases = []
    for name in c.case_names():
        event = c.load(name, "cloudevent-input")
        headers, body = c.binary_request(event)
        legacy_headers, legacy_body = c.legacy_request(name)
        for function in ("cloudevent", "event"):
            cases.append((f"{name}-binary", function, headers, body, "/"))
            cases.append((f"{name}-legacy", function, legacy_headers, legacy_body, "/"))
        cases.append((f"{name}-structured", "cloudevent", *c.structured_request(name), "/"))
    return cases


ALL = CASES + _conformance_cases()


@pytest.fixture(scope="module")
def ff_results() -> list[dict[str, Any]]:
    requests = [
        {"function": f, "headers": h, "body": base64.b64encode(b).decode(), "path": p} for _, f, h, b, p in ALL
    ]
    done = subprocess.run(
        [sys.executable, str(PROBE)], input=json.dumps(requests), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def ours(function: str, headers: list[tuple[str, str]], body: bytes, path: str) -> dict[str, Any]:
    if function == "cloudevent":
        event = cloud_event_from_request(headers, body, path)
        cls = type(event)
        return {
            "class": f"{cls.__module__}.{cls.__qualname__}",
            "attributes": [[k, v] for k, v in event.get_attributes().items()],
            "data": _encode(event.data),
        }
    data, context = legacy_event_from_request(headers, body, path)
    return {"data": _encode(data), "context": dict(vars(context))}


def _encode(value: Any) -> Any:
    return {"bytes": base64.b64encode(value).decode()} if isinstance(value, bytes) else value


def _without_generated(received: dict[str, Any]) -> dict[str, Any]:
    """Generated timestamps checked for their format, then blanked."""
    received = json.loads(json.dumps(received))
    for pair in received.get("attributes", []):
        if pair[0] == "time" and SDK_TIME.match(str(pair[1])):
            pair[1] = "<generated by the SDK>"
        if pair[0] == "time" and FF_PUSH_TIME.match(str(pair[1])) and pair[1].count(":") == 2 and "." in pair[1]:
            pair[1] = "<generated for the push>"
    data = received.get("data")
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        stamp = data["message"].get("publishTime", "")
        if isinstance(stamp, str) and FF_PUSH_TIME.match(stamp) and "." in stamp:
            data["message"]["publishTime"] = "<generated for the push>"
    context = received.get("context")
    if context and isinstance(context.get("timestamp"), str) and FF_PUSH_TIME.match(context["timestamp"]) and "." in context["timestamp"]:
        context["timestamp"] = "<generated for the push>"
    return received


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(ALL)), ids=[f"{f}-{i}" for i, f, *_ in ALL]
)
def test_same_as_functions_framework(
    ff_results: list[dict[str, Any]], index: int, case: tuple[str, str, list[tuple[str, str]], bytes, str]
) -> None:
    _, function, headers, body, path = case
    theirs = ff_results[index]
    assert theirs["status"] == 200, theirs
    assert _without_generated(ours(function, headers, body, path)) == _without_generated(theirs["received"])


def test_the_table_covers_what_it_claims() -> None:
    """Bytes, None, a generated time and FF's odd binary fallback are all in the table."""
    got = {case_id: ours(f, h, b, p) for case_id, f, h, b, p in CASES}
    assert got["binary-text-is-bytes"]["data"] == {"bytes": base64.b64encode(b"hello").decode()}
    assert got["binary-text-that-parses"]["data"] == 123
    assert got["structured-data-empty-string"]["data"] is None
    assert dict(got["binary-empty-no-time"]["attributes"])["time"] != ""
    assert got["binary-unknown-type"]["context"] == {"event_id": None, "timestamp": None, "event_type": None, "resource": None}
    assert got["binary-unknown-type-gcf-headers"]["context"]["event_id"] == "e1"
    assert got["structured-base64-json"]["data"] == {"a": 1}
