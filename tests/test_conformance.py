"""The Functions Framework conformance suite against real ``lastword serve`` processes.

Every input/expected-output pair of the official conformance data goes to a running server, in
all four directions (CloudEvent and legacy event, to cloudevent and event functions), and what the
function wrote to ``function_output.json`` is judged as the official client judges it (and more
strictly: ``subject`` and ``time`` too); then the client's http, typed (declarative) and
concurrency checks. The functions (``tests/apps/conformance``) are written as functions-framework
users write them, and are served with the flags functions-framework's own CI passes (its
conformance workflows): ``--signature-type http|event|cloudevent`` for the undecorated functions,
none for the declarative ones. The one flag left out is ``--asgi`` for the async functions:
lastword serves ``async def`` functions without it (and refuses it, saying so).

The data is at ``<repo>/../shared/conformance/data`` (or ``/work/shared/conformance/data``);
without it these tests fail under ``CI=true`` and are skipped elsewhere.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import APPS
from events_core import conformance as c
from servers import Server, lastword_argv, start_all, stop_all

SYNC = APPS / "conformance" / "main.py"
ASYNC = APPS / "conformance" / "async_main.py"

# (name, source, target, flags, environment): what FF's conformance workflows run.
SERVED: list[tuple[str, Path, str, tuple[str, ...], dict[str, str]]] = [
    ("http", SYNC, "write_http", ("--signature-type", "http"), {}),
    ("legacy", SYNC, "write_legacy_event", ("--signature-type", "event"), {}),
    ("cloudevent", SYNC, "write_cloud_event", ("--signature-type", "cloudevent"), {}),
    ("http-declarative", SYNC, "write_http_declarative", (), {}),
    ("cloudevent-declarative", SYNC, "write_cloud_event_declarative", (), {}),
    ("typed-declarative", SYNC, "write_typed_event_declarative", (), {}),
    # 10 concurrent requests to a sync function need 10 threads: functions-framework and lastword
    # both default to 4 per CPU, 16 on the 4-vCPU runners of FF's CI, 8 on a 2-core machine.
    ("http-concurrent", SYNC, "write_http_declarative_concurrent", (), {"THREADS": "16"}),
    ("async-http", ASYNC, "write_http", ("--signature-type", "http"), {}),
    ("async-cloudevent", ASYNC, "write_cloud_event", ("--signature-type", "cloudevent"), {}),
    ("async-http-declarative", ASYNC, "write_http_declarative", (), {}),
    ("async-cloudevent-declarative", ASYNC, "write_cloud_event_declarative", (), {}),
    ("async-http-concurrent", ASYNC, "write_http_declarative_concurrent", (), {}),
]

NAMES = c.case_names()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    """One ``lastword serve`` per function, each in its own folder, all started at once."""
    c.require_data()
    base = tmp_path_factory.mktemp("conformance")
    started: dict[str, Server] = {}
    for name, source, target, flags, env in SERVED:
        folder = base / name
        folder.mkdir()
        started[name] = Server(name, lastword_argv(source, target, *flags), folder, env)
    start_all(list(started.values()))
    yield started
    stop_all(list(started.values()))
    _HTTP.close()


_HTTP = httpx.Client(timeout=20)  # one client (and connection pool) for every request here


def call(server: Server, headers: list[tuple[str, str]], body: bytes) -> str:
    """POST, expect 2xx, and return what the function wrote."""
    output = server.log.parent / "function_output.json"
    output.unlink(missing_ok=True)
    response = _HTTP.post(server.url, headers=headers, content=body)
    assert 200 <= response.status_code < 300, (response.status_code, response.text)
    assert output.exists(), "the function wrote nothing"
    return output.read_text()


def _extra_keys(name: str) -> tuple[str, ...]:
    """A Pub/Sub CloudEvent sent by push keeps its subscription in the data (as FF does)."""
    event = c.load(name, "cloudevent-input")
    return ("subscription",) if event["type"].startswith("google.cloud.pubsub.") else ()


# --- the four directions --------------------------------------------------------------------------

CLOUDEVENT_SERVERS = ["cloudevent", "async-cloudevent"]


@pytest.mark.parametrize("mode", ["binary", "structured"])
@pytest.mark.parametrize("server", CLOUDEVENT_SERVERS)
@pytest.mark.parametrize("name", NAMES)
def test_cloudevent_to_cloudevent_function(
    servers: dict[str, Server], server: str, name: str, mode: str
) -> None:
    event = c.load(name, "cloudevent-input")
    headers, body = c.binary_request(event) if mode == "binary" else c.structured_request(name)
    written = call(servers[server], headers, body)
    want = c.expected(name, "cloudevent", converted=False)
    assert c.cloud_event_mismatches(written, want, extra_data_keys=_extra_keys(name)) == []


@pytest.mark.parametrize("server", CLOUDEVENT_SERVERS)
@pytest.mark.parametrize("name", NAMES)
def test_legacy_to_cloudevent_function(servers: dict[str, Server], server: str, name: str) -> None:
    written = call(servers[server], *c.legacy_request(name))
    assert c.cloud_event_mismatches(written, c.expected(name, "cloudevent", converted=True)) == []


@pytest.mark.parametrize("name", NAMES)
def test_legacy_to_event_function(servers: dict[str, Server], name: str) -> None:
    written = call(servers["legacy"], *c.legacy_request(name))
    assert c.legacy_event_mismatches(written, c.expected(name, "legacy", converted=False)) == []


@pytest.mark.parametrize("mode", ["binary", "structured"])
@pytest.mark.parametrize("name", NAMES)
def test_cloudevent_to_event_function(servers: dict[str, Server], name: str, mode: str) -> None:
    event = c.load(name, "cloudevent-input")
    headers, body = c.binary_request(event) if mode == "binary" else c.structured_request(name)
    written = call(servers["legacy"], headers, body)
    assert c.legacy_event_mismatches(written, c.expected(name, "legacy", converted=True)) == []


@pytest.mark.parametrize("server", ["cloudevent-declarative", "async-cloudevent-declarative"])
def test_declarative_cloudevent_functions(servers: dict[str, Server], server: str) -> None:
    """Functions declared with FF's decorators and served without --signature-type: every
    CloudEvent and legacy input reaches them as it reaches the undecorated ones."""
    problems = []
    for name in NAMES:
        written = call(servers[server], *c.binary_request(c.load(name, "cloudevent-input")))
        want = c.expected(name, "cloudevent", converted=False)
        problems += c.cloud_event_mismatches(written, want, extra_data_keys=_extra_keys(name))
        written = call(servers[server], *c.legacy_request(name))
        problems += c.cloud_event_mismatches(written, c.expected(name, "cloudevent", converted=True))
    assert problems == []


# --- the client's http, typed and concurrency checks ---------------------------------------------


@pytest.mark.parametrize(
    "server", ["http", "http-declarative", "async-http", "async-http-declarative"]
)
def test_http_function_writes_the_request(servers: dict[str, Server], server: str) -> None:
    sent = {"res": "PASS", "nested": {"list": [1, 2.5, None, True]}}
    written = call(servers[server], [("Content-Type", "application/json")], json.dumps(sent).encode())
    assert json.loads(written) == sent


def test_typed_declarative(servers: dict[str, Server]) -> None:
    """The typed function receives its input type and its return value is the JSON response."""
    server = servers["typed-declarative"]
    sent = {"message": "Hello World!"}
    output = server.log.parent / "function_output.json"
    output.unlink(missing_ok=True)
    response = _HTTP.post(server.url, json=sent)
    assert response.status_code == 200
    assert json.loads(output.read_text()) == sent
    assert response.json() == {"payload": sent}


@pytest.mark.parametrize("server", ["http-concurrent", "async-http-concurrent"])
def test_concurrency(servers: dict[str, Server], server: str) -> None:
    """The conformance client's own check: a function that sleeps 1 s answers one request in at
    least 1 s, and 10 concurrent requests in at most twice that."""
    port = servers[server].port
    body = json.dumps({"data": "hello"})

    def send() -> None:  # a light client (the official one is Go): measure the server, not httpx
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", "/", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            assert response.status == 200, response.read()
            response.read()
        finally:
            connection.close()

    started = time.monotonic()
    send()
    single = time.monotonic() - started
    assert single >= 1.0
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        for future in [pool.submit(send) for _ in range(10)]:
            future.result()
    together = time.monotonic() - started
    assert together <= 2 * single, f"10 concurrent requests took {together:.2f} s, one {single:.2f} s"


def test_each_direction_fails_on_a_wrong_function(servers: dict[str, Server]) -> None:
    """The judge is not blind: the event function's output does not pass as a CloudEvent's."""
    name = NAMES[0]
    written = call(servers["legacy"], *c.legacy_request(name))
    with pytest.raises((AssertionError, KeyError, TypeError, ValueError)):
        assert c.cloud_event_mismatches(written, c.expected(name, "cloudevent", converted=True)) == []

