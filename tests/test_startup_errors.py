"""Start-up errors: exact, before the port opens, non-zero exit, no lastword traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import APPS, run_lastword

STARTUP_FAILURE = 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [str(APPS / "nope.py"), "--target", "hello"],
            ["source file", "nope.py", "not found", "--target NAME"],
        ),
        (
            [str(APPS / "http_basic.py"), "--target", "helo"],
            ["function 'helo' is not defined in", "Functions defined there:", "hello", "echo"],
        ),
        (
            [str(APPS / "decorated.py"), "--target", "NOT_A_FUNCTION"],
            ["'NOT_A_FUNCTION'", "is a int, not a function"],
        ),
        (
            [str(APPS / "http_basic.py"), "--target", "two_params"],
            [
                "http_basic.py:",
                "http function 'two_params' must take 1 positional parameter",
                "def two_params(request, extra)",
                "def two_params(request)",
            ],
        ),
        (
            [str(APPS / "http_basic.py"), "--target", "hello", "--signature-type", "event"],
            ["event function 'hello' must take 2 positional parameters", "def hello(data, context)"],
        ),
        (
            [str(APPS / "http_basic.py")],
            ["no target function given", "Pass --target NAME"],
        ),
    ],
    ids=["file-not-found", "target-not-defined", "not-callable", "wrong-params", "wrong-params-event", "no-target"],
)
def test_startup_error_messages(args: list[str], expected: list[str], tmp_path: Path) -> None:
    """Each start-up error names what was wrong and what to do, and exits 3 without a traceback."""
    result = run_lastword("serve", "--port", "0", *args, cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert "lastword: serving" not in result.stderr  # the port was never opened


def test_import_error_shows_only_user_frames(tmp_path: Path) -> None:
    """An exception while importing the user's module shows the user's traceback, trimmed."""
    result = run_lastword("serve", "--port", "0", str(APPS / "broken" / "raises.py"), "--target", "hello", cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE
    err = result.stderr
    assert "importing" in err and "raised RuntimeError" in err
    assert "Traceback (most recent call last):" in err
    assert 'raises.py", line 1, in <module>' in err
    assert 'helper_that_raises.py", line 2, in configure' in err
    assert "RuntimeError: DATABASE_URL is not set" in err
    assert "lastword/" not in err.replace("lastword: ", "")  # no frame of lastword itself
    assert "importlib" not in err


def test_syntax_error_in_user_module(tmp_path: Path) -> None:
    result = run_lastword("serve", "--port", "0", str(APPS / "broken" / "syntax.py"), "--target", "hello", cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE
    assert "raised SyntaxError" in result.stderr
    assert "syntax.py" in result.stderr and "line 1" in result.stderr


def test_bad_option_value_is_a_usage_error(tmp_path: Path) -> None:
    result = run_lastword("serve", str(APPS / "http_basic.py"), "--target", "hello", env={"PORT": "eighty"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "port must be a whole number; got 'eighty'" in result.stderr


def test_port_in_use(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_lastword(
            "serve", str(APPS / "http_basic.py"), "--target", "hello", "--host", "127.0.0.1", "--port", str(port), cwd=tmp_path
        )
    assert result.returncode == STARTUP_FAILURE
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_typed_function_without_an_input_type(tmp_path: Path) -> None:
    """A typed function must say what its JSON body becomes; the message says how."""
    (tmp_path / "main.py").write_text("import lastword\n\n@lastword.typed\ndef order(payload):\n    return payload\n")
    result = run_lastword("serve", "--port", "0", "--target", "order", cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE
    assert (
        "main.py:3: typed function 'order' has no input type: annotate its parameter "
        "(`def order(payload: Order)`) or name the type in the decorator "
        "(`@lastword.typed(Order)`)"
    ) in result.stderr
    assert "Traceback" not in result.stderr and "lastword: serving" not in result.stderr


def test_typed_input_type_that_json_cannot_build(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "import lastword\n\nclass Order:\n    pass\n\n@lastword.typed\ndef order(o: Order):\n    return o\n"
    )
    result = run_lastword("serve", "--port", "0", "--target", "order", cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE
    assert (
        "the input type of typed function 'order', Order, cannot be built from JSON: make it a "
        "dataclass or a pydantic model, or give it a `from_dict(cls, value)` class method"
    ) in result.stderr


def test_typed_input_types_that_disagree(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "import dataclasses, lastword\n\n@dataclasses.dataclass\nclass A:\n    x: int\n\n"
        "@dataclasses.dataclass\nclass B:\n    x: int\n\n@lastword.typed(A)\ndef f(b: B):\n    return b\n"
    )
    result = run_lastword("serve", "--port", "0", "--target", "f", cwd=tmp_path)
    assert result.returncode == STARTUP_FAILURE
    assert "typed function 'f' names two input types: A in its decorator and B on its parameter" in result.stderr
