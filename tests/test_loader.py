"""Loading the user's function, in-process (no sockets)."""

from __future__ import annotations

import pytest

from conftest import APPS
from lastword import Config
from lastword._adapters.http import environ_from_scope
from lastword._errors import BadSignature, TargetNotFound
from lastword._loader import load


def test_sync_and_async_detected() -> None:
    loaded, config = load(Config(source=str(APPS / "http_basic.py"), target="hello"))
    assert not loaded.is_async and loaded.name == "hello" and config.target == "hello"
    loaded, _ = load(Config(source=str(APPS / "http_async.py"), target="hello"))
    assert loaded.is_async


def test_decorator_options_are_read() -> None:
    loaded, config = load(Config(source=str(APPS / "decorated_many.py"), target="two", background="error"))
    assert config.background == "wait" and loaded.declared_by == "lastword"  # folded into the config
    assert loaded.is_async


def test_many_declared_needs_target() -> None:
    with pytest.raises(TargetNotFound, match="declares several functions .one, two."):
        load(Config(source=str(APPS / "decorated_many.py")))


def test_directory_source_means_main_py(tmp_path) -> None:
    (tmp_path / "main.py").write_text("def f(request):\n    return 'x'\n")
    loaded, _ = load(Config(source=str(tmp_path), target="f"))
    assert loaded.source.name == "main.py"


def test_optional_extra_parameters_are_fine(tmp_path) -> None:
    (tmp_path / "main.py").write_text("def f(request, retries=3, *, debug=False):\n    return 'x'\n")
    load(Config(source=str(tmp_path / "main.py"), target="f"))
    (tmp_path / "other.py").write_text("def g():\n    return 'x'\n")
    with pytest.raises(BadSignature, match="must take 1 positional parameter"):
        load(Config(source=str(tmp_path / "other.py"), target="g"))


def test_environ_keeps_raw_query_and_joins_repeated_headers() -> None:
    scope = {
        "type": "http", "method": "POST", "path": "/a b", "raw_path": b"/a%20b", "query_string": b"x=%2F&y",
        "headers": [(b"x-a", b"1"), (b"x-a", b"2"), (b"content-type", b"text/plain")],
        "server": ("127.0.0.1", 8080), "client": ("127.0.0.1", 5555),
    }
    environ = environ_from_scope(scope, b"body")
    assert environ["QUERY_STRING"] == "x=%2F&y"
    assert environ["PATH_INFO"] == "/a b"
    assert environ["REQUEST_URI"] == "/a%20b?x=%2F&y"
    assert environ["HTTP_X_A"] == "1,2"
    assert environ["CONTENT_TYPE"] == "text/plain" and environ["CONTENT_LENGTH"] == "4"
    assert environ["wsgi.input"].read() == b"body"
