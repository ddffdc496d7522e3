"""The same function source served by functions-framework 3.10.2 and by lastword, the same
requests to both: status, body and what the function received must be the same, for every
signature type (http sync and async, cloudevent sync and async, event, typed).

The source is ``tests/apps/differential.py``, written as FF users write it; FF serves async
functions with ``--asgi`` (as its own CI does), lastword needs no flag. Every deliberate
difference is listed in ``DIFFERENCES`` with the reason, and checked as it is: if either side
changes, the test says so.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from conftest import APPS
from servers import Server, ff_argv, lastword_argv, start_all, stop_all

pytest.importorskip("functions_framework")

SOURCE = APPS / "differential.py"
TARGETS: dict[str, tuple[str, ...]] = {
    "http_sync": (),
    "http_async": ("--asgi",),
    "ce_sync": (),
    "ce_async": ("--asgi",),
    "legacy": ("--signature-type", "event"),
    "typed_sync": (),
}
RUNTIMES = ("ff", "lastword")

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
SECRET = "secret-token-in-the-request"
CE = (
    ("ce-specversion", "1.0"), ("ce-id", "e-1"), ("ce-source", "//tests"),
    ("ce-type", "com.example.made"), ("ce-time", "2020-09-29T11:32:00.000Z"),
    ("content-type", "application/json"),
)
JSON = (("content-type", "application/json"),)
STORAGE = {
    "context": {
        "eventId": "1147091835525187", "timestamp": "2020-09-29T11:32:00.000Z",
        "eventType": "google.storage.object.finalize",
        "resource": {
            "service": "storage.googleapis.com", "name": "projects/_/buckets/b/objects/f.txt",
            "type": "storage#object",
        },
    },
    "data": {"bucket": "b", "name": "f.txt", "contentType": "text/plain"},
}
PUSH = {
    "subscription": "projects/p/subscriptions/s",
    "message": {
        "messageId": "42", "publishTime": "2020-09-29T11:32:00.000Z",
        "data": base64.b64encode(b"hello").decode(), "attributes": {"a": "1"},
    },
}
STRUCTURED = {
    "specversion": "1.0", "id": "e-2", "source": "//tests", "type": "com.example.made",
    "time": "2020-09-29T11:32:00.000Z", "datacontenttype": "application/json",
    "data": {"n": 2},
}


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    target: str
    method: str = "POST"
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    received: bool = False
    """Also compare what the function wrote (event functions)."""


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


CASES = [
    # http, sync (Flask) and async (Starlette)
    Case("http_sync-echo", "http_sync", path="/?a=1", headers=JSON, body=b'{"x": [1, 2]}'),
    Case("http_sync-environment", "http_sync", "GET", "/?do=env"),
    Case("http_sync-abort", "http_sync", "GET", "/?do=abort"),
    Case("http_sync-errorhandler", "http_sync", "GET", "/?do=refuse"),
    Case("http_sync-crash", "http_sync", "GET", "/?do=crash"),
    Case("http_sync-none", "http_sync", "GET", "/?do=none"),
    Case("http_sync-robots", "http_sync", "GET", "/robots.txt"),
    Case("http_async-echo", "http_async", headers=JSON, body=b'{"x": [1, 2]}'),
    Case("http_async-environment", "http_async", "GET", "/?do=env"),
    Case("http_async-abort", "http_async", "GET", "/?do=abort"),
    Case("http_async-crash", "http_async", "GET", "/?do=crash"),
    Case("http_async-robots", "http_async", "GET", "/robots.txt"),
    Case("http_async-errorhandler", "http_async", "GET", "/?do=refuse"),
    # cloudevent, sync
    Case("ce_sync-binary", "ce_sync", headers=CE, body=b'{"n": 1}', received=True),
    Case("ce_sync-structured", "ce_sync", headers=(("content-type", "application/cloudevents+json"),),
         body=_json(STRUCTURED), received=True),
    Case("ce_sync-legacy", "ce_sync", headers=JSON, body=_json(STORAGE), received=True),
    Case("ce_sync-pubsub-push", "ce_sync", path="/projects/p/topics/t", headers=JSON,
         body=_json(PUSH), received=True),
    Case("ce_sync-errorhandler", "ce_sync", headers=CE, body=b'{"do": "refuse"}'),
    Case("ce_sync-crash", "ce_sync", headers=CE, body=b'{"do": "crash"}'),
    Case("ce_sync-traceparent", "ce_sync", headers=(*CE, ("traceparent", TRACE)), body=b"{}",
         received=True),
    Case("ce_sync-missing-id", "ce_sync", headers=tuple(h for h in CE if h[0] != "ce-id"),
         body=_json({"token": SECRET})),
    Case("ce_sync-structured-not-json", "ce_sync",
         headers=(("content-type", "application/cloudevents+json"),), body=b"{" + SECRET.encode()),
    Case("ce_sync-array", "ce_sync", headers=JSON, body=_json([SECRET])),
    Case("ce_sync-get", "ce_sync", "GET"),
    # cloudevent, async
    Case("ce_async-binary", "ce_async", headers=CE, body=b'{"n": 1}', received=True),
    Case("ce_async-structured", "ce_async",
         headers=(("content-type", "application/cloudevents+json"),), body=_json(STRUCTURED),
         received=True),
    Case("ce_async-crash", "ce_async", headers=CE, body=b'{"do": "crash"}'),
    Case("ce_async-legacy", "ce_async", headers=JSON, body=_json(STORAGE), received=True),
    Case("ce_async-missing-id", "ce_async", headers=tuple(h for h in CE if h[0] != "ce-id"),
         body=_json({"token": SECRET})),
    Case("ce_async-errorhandler", "ce_async", headers=CE, body=b'{"do": "refuse"}'),
    Case("ce_async-get", "ce_async", "GET"),
    # legacy event
    Case("legacy-legacy", "legacy", headers=JSON, body=_json(STORAGE), received=True),
    Case("legacy-pubsub-push", "legacy", path="/projects/p/topics/t", headers=JSON,
         body=_json(PUSH), received=True),
    Case("legacy-cloudevent-google", "legacy", headers=(
        ("ce-specversion", "1.0"), ("ce-id", "e-3"),
        ("ce-source", "//storage.googleapis.com/projects/_/buckets/b"),
        ("ce-type", "google.cloud.storage.object.v1.finalized"), ("ce-subject", "objects/f.txt"),
        ("ce-time", "2020-09-29T11:32:00.000Z"), ("content-type", "application/json"),
    ), body=_json({"bucket": "b", "name": "f.txt", "kind": "storage#object"}), received=True),
    Case("legacy-cloudevent-other", "legacy", headers=CE, body=b'{"n": 1}', received=True),
    Case("legacy-crash", "legacy", headers=JSON, body=b'{"data": {"do": "crash"}, "context": {}}'),
    Case("legacy-get-root", "legacy", "GET"),
    Case("legacy-get-path", "legacy", "GET", "/x"),
    Case("legacy-not-an-event", "legacy", headers=JSON, body=b'{"foo": 1}'),
    Case("legacy-array", "legacy", headers=JSON, body=_json([SECRET])),
    Case("legacy-text-plain", "legacy", headers=(("content-type", "text/plain"),),
         body=_json(STORAGE), received=True),
    # typed
    Case("typed-to_dict", "typed_sync", headers=JSON, body=b'{"name": "ada"}'),
    Case("typed-dict", "typed_sync", headers=JSON, body=b'{"name": "dict"}'),
    Case("typed-none", "typed_sync", headers=JSON, body=b'{"name": "none"}'),
    Case("typed-mismatch", "typed_sync", headers=JSON, body=_json({"nom": SECRET})),
    Case("typed-not-json", "typed_sync", headers=JSON, body=b"{" + SECRET.encode()),
    Case("typed-no-content-type", "typed_sync", body=b'{"name": "ada"}'),
    Case("typed-crash", "typed_sync", headers=JSON, body=b'{"name": "crash"}'),
    Case("typed-errorhandler", "typed_sync", headers=JSON, body=b'{"name": "refuse"}'),
    Case("typed-get", "typed_sync", "GET"),
]


@dataclasses.dataclass
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    received: Any


# --- the deliberate differences, each checked as it is --------------------------------------------


def _plain(answer: Answer) -> str:
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    return answer.body.decode()


def crash_body(ff: Answer, lw: Answer) -> None:
    """Both 500 with X-Google-Status: crash; only the body's wording differs."""
    assert ff.status == lw.status == 500
    assert ff.headers["x-google-status"] == lw.headers["x-google-status"] == "crash"
    assert ff.body.startswith(b"500 Internal Server Error: The server encountered")
    assert _plain(lw) == "Internal Server Error"


def no_echo(status: int, message: str, ff_echoes: bool = True) -> Callable[[Answer, Answer], None]:
    """Both refuse with ``status``; functions-framework's body repeats the request, lastword's
    names what is wrong and repeats nothing."""

    def check(ff: Answer, lw: Answer) -> None:
        assert ff.status == lw.status == status
        if ff_echoes:
            assert SECRET.encode() in ff.body
        assert SECRET not in _plain(lw)
        assert _plain(lw) == message

    return check


def refused_not_crashed(ff_status: int, message: str) -> Callable[[Answer, Answer], None]:
    """functions-framework answers a request it cannot read with ``ff_status`` (a crash: an
    event source retries a crash forever); lastword with 400 and the reason."""

    def check(ff: Answer, lw: Answer) -> None:
        assert ff.status == ff_status
        assert (lw.status, _plain(lw)) == (400, message)
        assert SECRET not in _plain(lw)
        assert "x-google-status" not in lw.headers

    return check


def method_not_allowed(kind: str, target: str) -> Callable[[Answer, Answer], None]:
    def check(ff: Answer, lw: Answer) -> None:
        assert ff.status == lw.status == 405
        assert ff.headers["allow"] == lw.headers["allow"] == "POST"
        assert _plain(lw) == f"Method Not Allowed: {target}() is {kind} by POST, not GET."

    return check


def handler_honoured(ff: Answer, lw: Answer) -> None:
    """functions-framework's errorhandler is not consulted here (its ASGI mode has none, its typed
    wrapper turns every exception into its own); lastword honours it for every signature type."""
    assert ff.status == 500 and ff.headers["x-google-status"] == "crash"
    assert (lw.status, lw.body) == (409, b"refused: not today")


def no_response(ff: Answer, lw: Answer) -> None:
    assert ff.status == lw.status == 500
    assert ff.headers["x-google-status"] == "crash"
    assert _plain(lw) == "Internal Server Error: the function returned without a response."
    assert "x-google-status" not in lw.headers  # lastword knows what happened: not a crash


def robots(ff: Answer, lw: Answer) -> None:
    assert ff.status == lw.status == 404
    assert b"<h1>Not Found</h1>" in ff.body
    assert _plain(lw) == "Not Found"  # what functions-framework's own ASGI mode answers


def traceparent(ff: Answer, lw: Answer) -> None:
    assert (ff.status, ff.body) == (lw.status, lw.body) == (200, b"OK")
    assert "traceparent" not in ff.received["attributes"]
    assert lw.received["attributes"].pop("traceparent") == TRACE
    assert lw.received == ff.received  # and otherwise the same event


def converted_legacy(ff: Answer, lw: Answer) -> None:
    assert ff.status == 400 and ff.received is None
    assert (lw.status, lw.body) == (200, b"OK")
    assert lw.received["attributes"]["type"] == "google.cloud.storage.object.v1.finalized"
    assert lw.received["data"] == STORAGE["data"]


def dummy_get(ff: Answer, lw: Answer) -> None:
    assert (ff.status, ff.body) == (200, b"")
    assert lw.status == 405 and lw.headers["allow"] == "POST"
    assert _plain(lw) == (
        "Method Not Allowed: legacy() is an event function; it receives events by POST, not GET."
    )


def not_an_event(ff: Answer, lw: Answer) -> None:
    assert (ff.status, ff.body) == (200, b"OK")
    assert (lw.status, _plain(lw)) == (
        400,
        "Bad Request: the JSON object in the request body is not a legacy event: it has none of "
        "data, context, eventId, eventType, timestamp, resource (nor message and subscription, "
        "as a Pub/Sub push has).",
    )


def any_content_type(ff: Answer, lw: Answer) -> None:
    assert ff.status == 415 and ff.received is None
    assert (lw.status, lw.body) == (200, b"OK")
    assert lw.received["context"]["event_id"] == STORAGE["context"]["eventId"]


def typed_any_content_type(ff: Answer, lw: Answer) -> None:
    assert ff.status == 500
    assert (lw.status, lw.body) == (200, b'{"greeting": "Hello, ada!"}')


@dataclasses.dataclass(frozen=True)
class Difference:
    why: str
    check: Callable[[Answer, Answer], None]


MISSING_ID = (
    "Bad Request: malformed CloudEvent (binary content mode): missing the header ce-id; a "
    "binary-mode event needs ce-specversion, ce-id, ce-source, ce-type."
)

DIFFERENCES: dict[str, Difference] = {
    "http_sync-crash": Difference(
        "a crash's body is 'Internal Server Error' for every signature type, sync or async (FF's "
        "own ASGI mode sends exactly that); FF's Flask mode sends werkzeug's longer text",
        crash_body,
    ),
    "http_sync-none": Difference(
        "returning None is not a crash of the code but a missing response: lastword says so in "
        "the body and logs file:line; FF's Flask raises TypeError (500 crash)",
        no_response,
    ),
    "http_sync-robots": Difference(
        "/robots.txt is answered 404 by the runtime in plain text (as FF's ASGI mode does), not "
        "with Flask's HTML page", robots,
    ),
    "http_async-errorhandler": Difference(
        "issue 11 §5: errorhandler is honoured for async functions too; FF's ASGI mode ignores "
        "it (500)", handler_honoured,
    ),
    "ce_sync-crash": Difference("as http_sync-crash", crash_body),
    "ce_sync-traceparent": Difference(
        "issue 11 §5: the traceparent header becomes the CloudEvent's traceparent extension (the "
        "SDK FF uses reads only ce- headers)", traceparent,
    ),
    "ce_sync-missing-id": Difference(
        "a 400 names what is missing and never echoes the request; FF's repeats every header "
        "and the body", no_echo(400, MISSING_ID),
    ),
    "ce_sync-structured-not-json": Difference(
        "the 400 says why the body is not an event (werkzeug's generic text in FF)",
        no_echo(
            400,
            "Bad Request: malformed CloudEvent (structured content mode): the body is not valid "
            "JSON (Expecting property name enclosed in double quotes at line 1, column 2).",
            ff_echoes=False,
        ),
    ),
    "ce_sync-array": Difference(
        "a body that is no event is the sender's fault: 400, not a 500 crash that an event "
        "source retries forever",
        refused_not_crashed(
            500,
            "Bad Request: the request is neither a CloudEvent nor a legacy event: it has no "
            "ce-specversion header (binary content mode), its Content-Type is application/json, "
            "not application/cloudevents+json (structured content mode), and its body is a JSON "
            "array, not an object. Send a CloudEvent, or a legacy event (a JSON object with data "
            "and context) to have it converted.",
        ),
    ),
    "ce_sync-get": Difference(
        "405 with Allow: POST in both; the body says what the function takes, in plain text",
        method_not_allowed("a cloudevent function; it receives CloudEvents", "ce_sync"),
    ),
    "ce_async-legacy": Difference(
        "issue 11 §1: a convertible legacy event reaches a cloudevent function, sync or async "
        "(FF's Flask mode converts it, its ASGI mode answers 400)", converted_legacy,
    ),
    "ce_async-missing-id": Difference(
        "the 400 names the missing header, the same message sync and async (FF's ASGI mode shows "
        "the SDK's exception repr)",
        no_echo(400, MISSING_ID, ff_echoes=False),
    ),
    "ce_async-errorhandler": Difference("as http_async-errorhandler", handler_honoured),
    "ce_async-get": Difference(
        "as ce_sync-get", method_not_allowed("a cloudevent function; it receives CloudEvents", "ce_async")
    ),
    "legacy-crash": Difference("as http_sync-crash", crash_body),
    "legacy-get-root": Difference(
        "FF answers GET / of an event function 200 with an empty body without calling it; a 2xx "
        "that acknowledged nothing would hide a misrouted delivery: lastword answers 405 as for "
        "any other path (health checks have /_lastword/health)", dummy_get,
    ),
    "legacy-get-path": Difference(
        "as ce_sync-get",
        method_not_allowed("an event function; it receives events", "legacy"),
    ),
    "legacy-not-an-event": Difference(
        "a JSON object with none of a legacy event's members is refused (400): FF calls the "
        "function with empty data and context and acknowledges it, so the event is lost",
        not_an_event,
    ),
    "legacy-array": Difference(
        "as ce_sync-array",
        refused_not_crashed(
            500,
            "Bad Request: the request body is a JSON array; a legacy event is a JSON object with "
            "data and context.",
        ),
    ),
    "legacy-text-plain": Difference(
        "the body is read as JSON whatever its Content-Type (as CloudEvents are read); FF's "
        "Flask refuses it with 415", any_content_type,
    ),
    "typed-mismatch": Difference(
        "issue 11 §4: a body that does not fit the type is 400 with the reason; FF answers 500",
        refused_not_crashed(
            500,
            "Bad Request: the JSON body does not fit Greeting: its from_dict() raised KeyError "
            "('name').",
        ),
    ),
    "typed-not-json": Difference(
        "issue 11 §4: invalid JSON is 400 with the reason; FF answers 500",
        refused_not_crashed(
            500,
            "Bad Request: the request body is not valid JSON (Expecting property name enclosed "
            "in double quotes at line 1, column 2); typed_sync() takes a JSON document that "
            "becomes a Greeting.",
        ),
    ),
    "typed-no-content-type": Difference(
        "the body is read as JSON whatever its Content-Type; FF's Flask refuses to read it (500)",
        typed_any_content_type,
    ),
    "typed-crash": Difference("as http_sync-crash", crash_body),
    "typed-errorhandler": Difference(
        "errorhandler is honoured for typed functions; FF wraps every exception of a typed "
        "function into its own, which no handler sees (500)", handler_honoured,
    ),
    "typed-get": Difference(
        "as ce_sync-get", method_not_allowed("a typed function; it receives JSON documents", "typed_sync")
    ),
}


# --- the servers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Server]]:
    """Both runtimes, one server per target, all started at once."""
    base = tmp_path_factory.mktemp("differential")
    started: dict[tuple[str, str], Server] = {}
    for runtime in RUNTIMES:
        out = base / runtime
        out.mkdir()
        for target, flags in TARGETS.items():
            if runtime == "ff":
                argv = ff_argv(SOURCE, target, *flags)
            else:  # lastword serves async functions without a flag
                argv = lastword_argv(SOURCE, target, *(f for f in flags if f != "--asgi"))
            started[runtime, target] = Server(f"{runtime}-{target}", argv, out, {"DIFF_OUT": str(out)})
    start_all(list(started.values()))
    yield started
    stop_all(list(started.values()))
    _HTTP.close()


_HTTP = httpx.Client(timeout=20)  # one client (and connection pool) for every request here


def send(servers: dict[tuple[str, str], Server], runtime: str, case: Case) -> Answer:
    server = servers[runtime, case.target]
    written = server.log.parent / f"{case.target}.json"
    written.unlink(missing_ok=True)
    response = _HTTP.request(
        case.method, server.url + case.path, headers=list(case.headers), content=case.body
    )
    received = json.loads(written.read_text()) if written.exists() else None
    return Answer(response.status_code, response.headers, response.content, received)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_request_same_answer(servers: dict[tuple[str, str], Server], case: Case) -> None:
    ff = send(servers, "ff", case)
    lw = send(servers, "lastword", case)
    difference = DIFFERENCES.get(case.id)
    if difference is not None:
        difference.check(ff, lw)
        return
    assert (lw.status, lw.body) == (ff.status, ff.body), (ff, lw)
    assert lw.headers.get("x-google-status") == ff.headers.get("x-google-status")
    if case.received:
        assert ff.received is not None, "the function was not called under functions-framework"
        assert lw.received == ff.received


def test_every_difference_names_a_case() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert set(DIFFERENCES) <= set(ids)
    covered = {c.target for c in CASES if c.id not in DIFFERENCES}
    assert covered == set(TARGETS)  # every signature type has cases answered exactly alike


def test_the_comparison_can_fail() -> None:
    """The checks of the differences reject an answer that is not the one described."""
    ok = Answer(200, httpx.Headers({"content-type": "text/plain; charset=utf-8"}), b"OK", None)
    with pytest.raises(AssertionError):
        crash_body(ok, ok)
    with pytest.raises(AssertionError):
        handler_honoured(ok, ok)
    echoed = Answer(
        400, httpx.Headers({"content-type": "text/plain; charset=utf-8"}),
        f"Bad Request: {SECRET}".encode(), None,
    )
    with pytest.raises(AssertionError):
        no_echo(400, MISSING_ID)(echoed, echoed)

