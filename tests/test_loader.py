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


# --- error handlers and declarations of the other signature types ------------------------------


def test_error_handlers_collected_both_ways_and_the_placeholder_put_back() -> None:
    import functions_framework

    placeholder = functions_framework.errorhandler
    loaded, _ = load(Config(source=str(APPS / "handlers.py"), target="ce_sync"))
    handlers = dict(loaded.error_handlers)
    module = loaded.module
    assert handlers[module.Refused] is module.on_refused  # functions_framework.errorhandler
    assert handlers[KeyError] is module.on_missing  # lastword.errorhandler
    assert handlers[LookupError] is module.on_lookup
    assert functions_framework.errorhandler is placeholder
    assert loaded.signature_type == "cloudevent" and loaded.declared_by == "functions_framework"


def test_registering_after_the_load_is_refused(tmp_path) -> None:
    (tmp_path / "main.py").write_text(
        "from functions_framework import errorhandler\n\n"
        "def f(request):\n    errorhandler(KeyError)(print)\n"
    )
    loaded, _ = load(Config(source=str(tmp_path / "main.py"), target="f"))
    with pytest.raises(RuntimeError, match="was called after .* was loaded; lastword collects"):
        loaded.function(None)


def test_functions_framework_is_not_imported_for_a_module_that_does_not(tmp_path) -> None:
    """The rebinding hook costs nothing to a module that never imports functions-framework."""
    import subprocess
    import sys

    (tmp_path / "main.py").write_text("import lastword\n\n@lastword.event\ndef f(data, context):\n    pass\n")
    code = (
        "import sys; from lastword import Config; from lastword._loader import load; "
        f"loaded, _ = load(Config(source={str(tmp_path / 'main.py')!r})); "
        "print(loaded.signature_type, 'functions_framework' in sys.modules, "
        "any(type(f).__name__ == '_RebindOnImport' for f in sys.meta_path))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["event", "False", "False"]


def test_functions_framework_imported_by_a_helper_is_rebound_too(tmp_path) -> None:
    """In a fresh process the hook rebinds errorhandler when the import happens, wherever."""
    import subprocess
    import sys

    (tmp_path / "helpers.py").write_text(
        "import functions_framework\n\n@functions_framework.errorhandler(ValueError)\n"
        "def on_value(error):\n    return 'bad value', 422\n"
    )
    (tmp_path / "main.py").write_text("import helpers  # noqa\n\ndef f(request):\n    raise ValueError\n")
    code = (
        "import sys; from lastword import Config; from lastword._loader import load; "
        f"loaded, _ = load(Config(source={str(tmp_path / 'main.py')!r}, target='f')); "
        "print([(c.__name__, h.__name__) for c, h in loaded.error_handlers])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[('ValueError', 'on_value')]"


@pytest.mark.parametrize(
    ("source", "input_type"),
    [
        ("import lastword, dataclasses\n@dataclasses.dataclass\nclass A:\n    x: int\n"
         "@lastword.typed\ndef f(a: A):\n    return a\n", "A"),
        ("from __future__ import annotations\nimport lastword, dataclasses\n"
         "@dataclasses.dataclass\nclass A:\n    x: int\n@lastword.typed\ndef f(a: A):\n    return a\n", "A"),
        ("import lastword, dataclasses\n@dataclasses.dataclass\nclass A:\n    x: int\n"
         "@lastword.typed(A)\ndef f(a):\n    return a\n", "A"),
        ("import functions_framework\nclass A:\n    @staticmethod\n    def from_dict(d):\n"
         "        return A()\n@functions_framework.typed(A)\ndef f(a):\n    return a\n", "A"),
        ("import dataclasses\n@dataclasses.dataclass\nclass A:\n    x: int\ndef f(a: A):\n    return a\n", "A"),
    ],
    ids=["annotation", "string-annotation", "decorator", "functions-framework", "flag"],
)
def test_typed_input_type(tmp_path, source: str, input_type: str) -> None:
    (tmp_path / "main.py").write_text(source)
    loaded, config = load(Config(source=str(tmp_path / "main.py"), target="f", signature_type="typed"))
    assert config.signature_type == "typed"
    assert loaded.input_type.__name__ == input_type
