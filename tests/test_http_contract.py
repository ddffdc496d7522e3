"""The Functions Framework HTTP contract, against a real server on loopback."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from conftest import APPS


@pytest.fixture(params=["http_basic.py", "http_async.py"], ids=["sync", "async"])
def echo_server(request: Any, serve: Any) -> Any:
    return serve(APPS / request.param, "--target", "echo")


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_and_path_reaches_the_function(echo_server: Any, method: str) -> None:
    response = echo_server.request(method, "/some/deep/path", content=b"payload" if method != "GET" else None)
    assert response.status_code == 200
    seen = response.json()
    assert seen["method"] == method
    assert seen["path"] == "/some/deep/path"


def test_request_seen_as_sent(echo_server: Any) -> None:
    response = echo_server.request(
        "POST",
        "/p%20q?b=2&a=1&a=%2F&flag",
        content=b'{"k": "v"}',
        headers={"X-Custom": "value", "Content-Type": "application/json"},
    )
    seen = response.json()
    assert seen["path"] == "/p q"
    assert seen["raw_query"] == "b=2&a=1&a=%2F&flag"
    assert seen["headers"]["x-custom"] == "value"
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["body"] == '{"k": "v"}'


@pytest.mark.parametrize("path", ["/robots.txt", "/favicon.ico"])
def test_robots_and_favicon_get_404_without_calling(serve: Any, path: str) -> None:
    served = serve(APPS / "http_basic.py", "--target", "crash")  # would 500 if called
    assert served.get(path).status_code == 404
    assert served.request("POST", path).status_code == 500  # only GET is special


def test_no_etag_added(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "hello")
    response = served.get("/")
    assert response.text == "Hello, World!"
    assert "etag" not in response.headers


@pytest.mark.parametrize("app", ["http_basic.py", "http_async.py"])
def test_crash_is_500_with_header_and_no_traceback(serve: Any, app: str) -> None:
    served = serve(APPS / app, "--target", "crash", "--log-format", "text")
    response = served.get("/")
    assert response.status_code == 500
    assert response.headers["x-google-status"] == "crash"
    assert response.text == "Internal Server Error"
    assert "secret" not in response.text and "Traceback" not in response.text
    log = served.wait_for_log("Traceback")
    assert "crash() raised" in log
    assert f"{app}\", line" in log
    assert "_pool.py" not in log  # trimmed to the user's frames


@pytest.mark.parametrize(("app", "target"), [("http_basic.py", "returns_none"), ("http_basic.py", "falls_off"), ("http_async.py", "returns_none")])
def test_returning_none_is_500_with_log(serve: Any, app: str, target: str) -> None:
    served = serve(APPS / app, "--target", target)
    response = served.get("/")
    assert response.status_code == 500
    assert "returned without a response" in response.text
    log = served.wait_for_log("returned without a response")
    assert f"{target}() returned without a response" in log
    assert "An HTTP function finishes by sending its HTTP response" in log


def test_sync_function_returning_coroutine_is_500(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "returns_coroutine")
    response = served.get("/")
    assert response.status_code == 500
    log = served.wait_for_log("instead of a response")
    assert "returns_coroutine() is a plain `def` but returned coroutine returns_coroutine.<locals>.work()" in log
    assert "never awaited" not in log  # closed by lastword, not a second report


def test_malformed_request_line_gets_400(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "hello")
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        reply = sock.recv(1024)
    assert reply.startswith(b"HTTP/1.1 400")


def test_invalid_json_gets_400(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "json_echo")
    response = served.request("POST", "/", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_body_over_limit_gets_413(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "json_echo")
    response = served.request("POST", "/", content=b"x" * (32 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert "32 MiB" in response.text


def test_json_echo_10k(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "json_echo")
    payload = {"items": ["x" * 100] * 100}
    response = served.request("POST", "/", json=payload)
    assert response.status_code == 200 and response.json() == payload


# --- the body is read once, the same way for every function ------------------------------------


def _chunked(served: Any, body: bytes, chunk: int = 4096) -> bytes:
    """POST ``body`` with ``Transfer-Encoding: chunked`` on a raw socket; the raw reply."""
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        for start in range(0, len(body), chunk):
            piece = body[start : start + chunk]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        sock.sendall(b"0\r\n\r\n")
        reply = b""
        while True:
            data = sock.recv(65536)
            if not data:
                return reply
            reply += data


@pytest.mark.parametrize("app", ["http_basic.py", "http_async.py"])
def test_chunked_body_reaches_the_function(serve: Any, app: str) -> None:
    served = serve(APPS / app, "--target", "body_size")
    body = b'{"k": "' + b"v" * 20000 + b'"}'
    reply = _chunked(served, body)
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert b'"size":20009' in reply.replace(b" ", b"")


@pytest.mark.parametrize("app", ["http_basic.py", "http_async.py"])
def test_body_over_limit_is_413_for_every_function(serve: Any, app: str) -> None:
    served = serve(APPS / app, "--target", "body_size")
    response = served.request("POST", "/", content=b"x" * (32 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert "32 MiB" in response.text
    reply = _chunked(served, b"y" * (32 * 1024 * 1024 + 1), chunk=1024 * 1024)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert served.get("/").status_code == 200  # and the server serves on


def test_async_function_can_stream_the_request_body(serve: Any) -> None:
    served = serve(APPS / "http_async.py", "--target", "streamed_size")
    assert served.request("POST", "/", content=b"z" * 100_000).json() == {"size": 100_000}


@pytest.mark.parametrize("app", ["http_basic.py", "http_async.py"])
def test_http_exceptions_are_their_response(serve: Any, app: str) -> None:
    """werkzeug's and Starlette's HTTPException give their status and detail, as with FF."""
    served = serve(APPS / app, "--target", "http_exception")
    response = served.get("/")
    assert response.status_code == 400
    assert "the field name is required" in response.text
    assert "x-google-status" not in response.headers
