"""A function whose module does not use Flask or Starlette is served without importing them until
a request needs them: a cold start is mostly that import (docs/serving.md)."""

from __future__ import annotations

from typing import Any

from conftest import APPS

LAZY = APPS / "lazy" / "main.py"


def test_a_sync_function_that_does_not_read_its_request_needs_no_flask(serve: Any) -> None:
    served = serve(LAZY, "--target", "hello")
    response = served.get("/")
    assert response.text == "hello; loaded: none"
    assert response.headers["content-type"] == "text/html; charset=utf-8"  # as Flask answers


def test_reading_the_request_brings_flask_in_with_the_same_answers(serve: Any) -> None:
    served = serve(LAZY, "--target", "reads")
    response = served.request("POST", "/?name=ada", json={"a": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["name"] == "ada" and body["json"] == {"a": 1}
    assert "flask" in body["loaded"]


def test_bad_json_is_still_a_400(serve: Any) -> None:
    served = serve(LAZY, "--target", "bad_json")
    response = served.request("POST", "/", content=b"{nope", headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_an_async_function_that_does_not_read_its_request_needs_no_starlette(serve: Any) -> None:
    served = serve(LAZY, "--target", "hello_async")
    assert served.get("/").text == "hello; loaded: none"


def test_an_async_function_reading_its_request_gets_starlette(serve: Any) -> None:
    served = serve(LAZY, "--target", "reads_async")
    body = served.request("POST", "/x/y", content=b"data").json()
    assert body["path"] == "/x/y" and body["body"] == "data"
    assert "starlette" in body["loaded"]
