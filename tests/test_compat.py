"""Functions written for functions-framework-python run unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import APPS


def test_flask_context_features(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "echo")
    assert served.get("/").json()["app"] == "http_basic"  # flask.current_app inside a request


def test_flask_abort(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "abort_418")
    assert served.get("/").status_code == 418


def test_render_template_beside_source(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "template")
    response = served.get("/?name=Ada")
    assert response.status_code == 200
    assert response.text.strip() == "<p>Hello, Ada!</p>"


@pytest.mark.parametrize(
    ("kind", "status", "body", "content_type"),
    [
        ("str", 200, b"text", "text/html; charset=utf-8"),
        ("bytes", 200, b"\x00\x01bytes", "text/html; charset=utf-8"),
        ("dict", 200, b'{"a":1}\n', "application/json"),
        ("list", 200, b"[1,2,3]\n", "application/json"),
        ("tuple2", 201, b"created", "text/html; charset=utf-8"),
        ("tuple3", 418, b"teapot", "text/html; charset=utf-8"),
        ("response", 202, b"resp", "text/csv; charset=utf-8"),
        ("generator", 200, b"chunk0;chunk1;chunk2;", "text/html; charset=utf-8"),
    ],
)
def test_flask_return_kinds(serve: Any, kind: str, status: int, body: bytes, content_type: str) -> None:
    served = serve(APPS / "http_basic.py", "--target", "kinds")
    response = served.get(f"/?kind={kind}")
    assert response.status_code == status
    assert response.content.replace(b" ", b"") == body.replace(b" ", b"")
    assert response.headers["content-type"] == content_type
    if kind == "tuple3":
        assert response.headers["x-custom"] == "yes"


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("str", 200, b"text"),
        ("bytes", 200, b"raw"),
        ("dict", 200, b'{"a":1}'),
        ("tuple2", 201, b'{"created":true}'),
        ("response", 202, b"plain"),
        ("json", 200, b"[1,2]"),
        ("stream", 200, b"part0;part1;part2;"),
    ],
)
def test_starlette_return_kinds(serve: Any, kind: str, status: int, body: bytes) -> None:
    served = serve(APPS / "http_async.py", "--target", "kinds")
    response = served.get(f"/?kind={kind}")
    assert response.status_code == status
    assert response.content == body


def test_functions_framework_decorators_recognised(serve: Any) -> None:
    pytest.importorskip("functions_framework")
    sync = serve(APPS / "ff_decorated.py", "--target", "sync_hello")
    assert sync.get("/").text == "ff sync GET"
    asynchronous = serve(APPS / "ff_decorated.py", "--target", "async_hello")
    assert asynchronous.request("POST", "/").text == "ff async POST"
    assert "(http)" in asynchronous.logs()


def test_lastword_decorator_picks_target(serve: Any) -> None:
    served = serve(APPS / "decorated.py")  # no --target: the one declared function
    assert served.get("/").text == "declared by lastword"
    assert "serving greet (http)" in served.logs()


def test_declaration_beats_flag_beats_environment(serve: Any) -> None:
    # the source declares http; the flag says event; the environment says cloudevent
    served = serve(
        APPS / "decorated.py", "--target", "greet", "--signature-type", "event",
        env={"FUNCTION_SIGNATURE_TYPE": "cloudevent"},
    )
    assert served.get("/").text == "declared by lastword"
    assert "serving greet (http)" in served.logs()


def test_flag_beats_environment(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "hello", env={"FUNCTION_TARGET": "echo"})
    assert served.get("/").text == "Hello, World!"


def test_environment_configures(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", env={"FUNCTION_TARGET": "hello"})
    assert served.get("/").text == "Hello, World!"




def test_startup_line_shows_the_declared_policy(serve: Any) -> None:
    """What the source declares is folded into the configuration once: the line says what runs."""
    served = serve(APPS / "decorated_many.py", "--target", "two", "--background", "error")
    assert "background policy wait" in served.logs().splitlines()[0]


def test_function_target_and_signature_type_in_the_environment(serve: Any) -> None:
    """As functions-framework does, whether they came from a flag or the environment."""
    by_flag = serve(APPS / "environment.py", "--target", "show")
    assert by_flag.get("/").text == "show show http"
    by_env = serve(
        APPS / "environment.py", env={"FUNCTION_TARGET": "show", "FUNCTION_SIGNATURE_TYPE": "http"}
    )
    assert by_env.get("/").text == "show show http"
    event = serve(APPS / "environment.py", "--target", "on_event", "--signature-type", "event")
    response = event.request("POST", "/", json={"data": {}, "context": {"eventId": "1"}})
    assert (response.status_code, response.text) == (200, "OK")


def test_testing_client_puts_the_environment_back() -> None:
    import os

    from lastword.testing import Client

    before = (os.environ.get("FUNCTION_TARGET"), os.environ.get("FUNCTION_SIGNATURE_TYPE"))
    with Client(str(APPS / "environment.py"), target="show") as client:
        assert client.get("/").text == "show show http"
    assert (os.environ.get("FUNCTION_TARGET"), os.environ.get("FUNCTION_SIGNATURE_TYPE")) == before


def test_testing_clients_closed_in_any_order_put_the_environment_back() -> None:
    import os

    from lastword.testing import Client

    before = os.environ.get("FUNCTION_TARGET")
    first = Client(str(APPS / "environment.py"), target="show")
    second = Client(str(APPS / "http_basic.py"), target="hello")
    assert os.environ["FUNCTION_TARGET"] == "hello"  # the most recent load
    first.close()
    assert os.environ["FUNCTION_TARGET"] == "hello"
    second.close()
    assert os.environ.get("FUNCTION_TARGET") == before
