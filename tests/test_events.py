"""cloudevent, event and typed functions served by a real lastword server (in-process, on a
loopback port), sync and async: what they receive, what their return becomes, bad requests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import APPS
from lastword.testing import Client, Result

EVENTS = APPS / "events.py"
CE = {"ce-specversion": "1.0", "ce-id": "e-1", "ce-source": "//tests", "ce-type": "com.example.made"}


@pytest.fixture(scope="module")
def client(out: Path) -> Iterator[Callable[..., Client]]:
    """``client(target, **options)``: one in-process server per target and options."""
    made: dict[tuple[Any, ...], Client] = {}

    def make(target: str, source: Path = EVENTS, **options: Any) -> Client:
        key = (source, target, tuple(sorted(options.items())))
        if key not in made:
            made[key] = Client(str(source), target=target, allow_leftovers=True, **options)
        return made[key]

    yield make
    for each in made.values():
        each.close()


def received(out: Path, target: str) -> Any:
    path = out / f"{target}.json"
    value = json.loads(path.read_text())
    path.unlink()
    return value


# --- cloudevent --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["ce_sync", "ce_async"])
@pytest.mark.parametrize("mode", ["binary", "structured"])
def test_cloud_event_received_as_sent(client: Any, out: Path, target: str, mode: str) -> None:
    """The function gets the SDK's CloudEvent, from either content mode; returning is 200 OK."""
    event = {
        "specversion": "1.0", "id": "e-1", "source": "//tests", "type": "com.example.made",
        "subject": "things/1", "time": "2020-09-29T11:32:00.000Z",
        "datacontenttype": "application/json", "myextension": "x",
        "data": {"n": 1},
    }
    result = client(target).cloud_event(event, mode=mode)
    assert (result.status, result.text) == (200, "OK")
    assert result.report is not None and result.report.outcome == "ok"
    got = received(out, target)
    assert got["data"] == {"n": 1}
    assert got["attributes"] == {k: v for k, v in event.items() if k != "data"}


def test_legacy_event_converted_for_a_cloudevent_function(client: Any, out: Path) -> None:
    result = client("ce_sync").event(
        {"bucket": "b", "name": "f.txt"},
        {
            "eventId": "1147091835525187", "timestamp": "2020-09-29T11:32:00.000Z",
            "eventType": "google.storage.object.finalize",
            "resource": {"service": "storage.googleapis.com", "name": "projects/_/buckets/b/objects/f.txt", "type": "storage#object"},
        },
    )
    assert result.status == 200
    attributes = received(out, "ce_sync")["attributes"]
    assert attributes["type"] == "google.cloud.storage.object.v1.finalized"
    assert attributes["source"] == "//storage.googleapis.com/projects/_/buckets/b"
    assert attributes["subject"] == "objects/f.txt"


def test_traceparent_header_becomes_the_extension(client: Any, out: Path) -> None:
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    result = client("ce_async").post("/", body=b"{}", headers={**CE, "traceparent": trace})
    assert result.status == 200
    assert received(out, "ce_async")["attributes"]["traceparent"] == trace


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        (
            {k: v for k, v in CE.items() if k != "ce-id"}, b'{"token": "secret-token"}',
            "Bad Request: malformed CloudEvent (binary content mode): missing the header ce-id; "
            "a binary-mode event needs ce-specversion, ce-id, ce-source, ce-type.",
        ),
        (
            {"Content-Type": "application/cloudevents+json"},
            b'{"specversion": "1.0", "data": "secret-token"}',
            "Bad Request: malformed CloudEvent (structured content mode): the attributes id, "
            "source, type are missing or null; an event needs specversion, id, source, type.",
        ),
        (
            {"Content-Type": "application/cloudevents-batch+json"}, b'["secret-token"]',
            "Bad Request: CloudEvents batch mode (Content-Type application/cloudevents-batch+json) "
            "is not supported: send one event per request, in binary or structured content mode.",
        ),
        (
            {}, b"",
            "Bad Request: the request is neither a CloudEvent nor a legacy event: it has no "
            "ce-specversion header (binary content mode), it has no Content-Type "
            "application/cloudevents+json (structured content mode), and its body is empty. Send "
            "a CloudEvent, or a legacy event (a JSON object with data and context) to have it "
            "converted.",
        ),
    ],
)
@pytest.mark.parametrize("target", ["ce_sync", "ce_async"])
def test_malformed_cloud_event_is_400_and_not_called(
    client: Any, out: Path, target: str, headers: dict[str, str], body: bytes, message: str
) -> None:
    result = client(target).post("/", body=body, headers=headers)
    assert result.status == 400
    assert result.text == message
    assert "secret-token" not in result.text  # never an echo of the request
    assert result.report is not None and result.report.outcome == "bad-request"
    assert not (out / f"{target}.json").exists()


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("ce_sync", "a cloudevent function; it receives CloudEvents"),
        ("legacy_async", "an event function; it receives events"),
        ("typed_dataclass", "a typed function; it receives JSON documents"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "OPTIONS"])
def test_event_functions_take_post_only(client: Any, target: str, kind: str, method: str) -> None:
    """As functions-framework routes only POST to them: 405 with Allow: POST, not called."""
    result = client(target).request(method, "/")
    assert result.status == 405
    assert result.headers["Allow"] == "POST"
    assert result.text == f"Method Not Allowed: {target}() is {kind} by POST, not {method}."
    assert result.report is not None and result.report.outcome == "bad-request"


@pytest.mark.parametrize("target", ["ce_crash", "ce_crash_async"])
def test_exception_is_a_crash(client: Any, target: str) -> None:
    result = client(target).post("/", body=b"{}", headers=CE)
    assert result.status == 500
    assert result.headers["X-Google-Status"] == "crash"
    assert result.report is not None and result.report.outcome == "crash"


def test_return_value_of_an_event_function_is_ignored(client: Any) -> None:
    result = client("ce_returns").post("/", body=b"{}", headers=CE)
    assert (result.status, result.text) == (200, "OK")


# --- legacy event -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["legacy_sync", "legacy_async"])
def test_legacy_event_received(client: Any, out: Path, target: str) -> None:
    context = {
        "eventId": "1", "timestamp": "2020-09-29T11:32:00.000Z",
        "eventType": "providers/cloud.firestore/eventTypes/document.write",
        "resource": "projects/p/databases/(default)/documents/a/b",
    }
    result = client(target).event({"value": {"x": 1}}, context)
    assert (result.status, result.text) == (200, "OK")
    got = received(out, target)
    assert got == {
        "data": {"value": {"x": 1}},
        "context": {
            "event_id": "1", "timestamp": "2020-09-29T11:32:00.000Z",
            "event_type": "providers/cloud.firestore/eventTypes/document.write",
            "resource": "projects/p/databases/(default)/documents/a/b",
        },
    }


def test_pubsub_push_topic_from_the_path(client: Any, out: Path) -> None:
    push = {
        "subscription": "projects/p/subscriptions/s",
        "message": {"messageId": "42", "publishTime": "2020-09-29T11:32:00.000Z", "data": "aGk="},
    }
    result = client("legacy_sync").post("/projects/p/topics/orders", json_body=push)
    assert result.status == 200
    got = received(out, "legacy_sync")
    assert got["data"] == {
        "@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage", "data": "aGk=",
        "attributes": {},
    }
    assert got["context"]["resource"]["name"] == "projects/p/topics/orders"
    assert got["context"]["event_id"] == "42"


def test_cloud_event_converted_for_an_event_function(client: Any, out: Path) -> None:
    result = client("legacy_async").cloud_event(sample="storage", mode="structured")
    assert result.status == 200
    got = received(out, "legacy_async")
    assert got["context"]["event_type"] == "google.storage.object.finalize"
    assert got["data"]["bucket"] == "my-bucket"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"context": 3}', "Bad Request: the legacy event's context is a JSON number; it must be "
         "an object with eventId, timestamp, eventType and resource."),
        (b'{"message": 3, "subscription": "s"}', "Bad Request: the Pub/Sub push body's message is "
         "a JSON number; it must be an object with messageId, data and attributes."),
    ],
)
def test_malformed_legacy_event_is_400(client: Any, body: bytes, message: str) -> None:
    result = client("legacy_sync").post("/", body=body, headers={"Content-Type": "application/json"})
    assert (result.status, result.text) == (400, message)


# --- typed --------------------------------------------------------------------------------------


def test_typed_dataclass(client: Any) -> None:
    order = {"customer": "ada", "items": [{"sku": "a", "quantity": 2}, {"sku": "b"}]}
    result = client("typed_dataclass").post("/", json_body=order)
    assert result.status == 200
    assert result.headers["Content-Type"] == "application/json"
    assert result.json() == {"customer": "ada", "count": 3}


def test_typed_from_dict_and_to_dict(client: Any) -> None:
    result = client("typed_from_dict").post("/", json_body={"name": "ada"})
    assert (result.status, result.json()) == (200, {"greeting": "Hello, ADA!"})


def test_typed_pydantic_async(client: Any) -> None:
    result = client("typed_pydantic").post("/", json_body={"city": "Oslo", "celsius": 10})
    assert (result.status, result.json()) == (200, {"city": "Oslo", "fahrenheit": 50.0})


def test_typed_none_is_an_empty_200(client: Any) -> None:
    result = client("typed_none").post("/", json_body={"customer": "ada", "items": []})
    assert (result.status, result.content) == (200, b"")


@pytest.mark.parametrize(
    ("target", "body", "message"),
    [
        ("typed_dataclass", b"{not json", "Bad Request: the request body is not valid JSON "
         "(Expecting property name enclosed in double quotes at line 1, column 2); "
         "typed_dataclass() takes a JSON document that becomes a Order."),
        ("typed_dataclass", b"", "Bad Request: the request body is empty; typed_dataclass() "
         "takes a JSON document that becomes a Order."),
        ("typed_dataclass", b"[1, 2]", "Bad Request: the JSON body is an array; Order is built "
         "from a JSON object."),
        ("typed_dataclass", b'{"items": []}', "Bad Request: field 'customer' is missing "
         "(required by Order)."),
        ("typed_dataclass", b'{"customer": "a", "items": [{"sku": "a", "quantity": "two"}]}',
         "Bad Request: field 'items[0].quantity' must be an integer, not a string."),
        ("typed_dataclass", b'{"customer": "a", "items": [], "coupon": "FREE"}',
         "Bad Request: the JSON body has a member 'coupon' that Order has no field for (its "
         "fields: customer, items, note)."),
        ("typed_dataclass", b'{"customer": "a", "items": [], "note": 3}',
         "Bad Request: field 'note' must be a string, not a number."),
        ("typed_from_dict", b'{"nom": "ada"}', "Bad Request: the JSON body does not fit "
         "Greeting: its from_dict() raised KeyError ('name')."),
        ("typed_pydantic", b'{"city": "Oslo", "celsius": "warm"}', "Bad Request: the JSON body "
         "does not fit Temperature: celsius: Input should be a valid number, unable to parse "
         "string as a number."),
    ],
)
def test_typed_input_that_does_not_fit_is_400(
    client: Any, target: str, body: bytes, message: str
) -> None:
    result = client(target).post("/", body=body, headers={"Content-Type": "application/json"})
    assert (result.status, result.text) == (400, message)
    assert result.report is not None and result.report.outcome == "bad-request"


# --- error handlers -----------------------------------------------------------------------------

HANDLED = ["http_sync", "http_async", "ce_sync", "ce_async", "legacy_sync", "legacy_async",
           "typed_sync", "typed_async"]


def _raising(client: Client, target: str, kind: str) -> Result:
    if target.startswith("http"):
        return client.get(f"/?raise={kind}")
    if target.startswith("ce"):
        return client.cloud_event({"type": "t", "source": "//s", "data": {"raise": kind}})
    if target.startswith("legacy"):
        return client.event({"raise": kind})
    return client.post("/", json_body={"kind": kind})


@pytest.mark.parametrize("target", HANDLED)
@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("refused", 409, b"refused: not today"),  # functions_framework.errorhandler(Refused)
        ("missing", 404, b'{"missing":"sku"}'),  # lastword.errorhandler(KeyError)
        ("index", 410, b"lookup"),  # lastword.errorhandler(LookupError), by the exception's MRO
        ("crash", 500, b"Internal Server Error"),  # no handler
    ],
)
def test_error_handlers_for_every_signature_type(
    client: Any, target: str, kind: str, status: int, body: bytes
) -> None:
    result = _raising(client(target, APPS / "handlers.py"), target, kind)
    assert result.status == status
    assert result.content.replace(b" ", b"").rstrip(b"\n") == body.replace(b" ", b"")
    assert ("X-Google-Status" in result.headers) == (kind == "crash")


def test_sync_handler_runs_in_a_flask_request_context(client: Any) -> None:
    result = client("ce_teapot", APPS / "handlers.py").cloud_event(
        {"type": "t", "source": "//s"}, path="/pot"
    )
    assert result.status == 418
    assert result.json() == {"path": "/pot", "error": "short and stout"}
