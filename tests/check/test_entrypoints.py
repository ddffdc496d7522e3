"""Which functions are checked as entry points: the signature table shared with the runtime,
mixed styles, helpers, tests, and the reasons given for what is not checked."""

from __future__ import annotations

import textwrap

import pytest

from lastword._check._analyze import check_project
from lastword._check._entrypoints import KINDS, shape_signature
from lastword._signatures import DECORATORS, EVENT_CONTEXT_PARAMS, SIGNATURE_TYPES, SIGNATURES


def checked(sources: dict[str, str], target: str | None = None) -> list[tuple[str, str, str]]:
    result = check_project({p: textwrap.dedent(s) for p, s in sources.items()}, target=target)
    return [(f.name, f.signature, f.why) for f in result.checked]


def test_every_signature_type_has_a_kind() -> None:
    assert set(KINDS) == set(SIGNATURE_TYPES)
    assert KINDS["http"] == "http"
    assert {KINDS["cloudevent"], KINDS["event"]} == {"event"}


@pytest.mark.parametrize("decorator", sorted(DECORATORS))
def test_every_decorator_of_the_table_declares_its_type(decorator: str) -> None:
    module, _, name = decorator.rpartition(".")
    source = f"""\
        import {module}


        @{decorator}
        def f(anything):
            return "ok"
        """
    assert checked({"app.py": source}) == [("f", DECORATORS[decorator], "declared")]


def test_decorators_imported_by_name_and_called_with_options() -> None:
    source = """\
        from lastword import cloud_event, http


        @http(background="warn")
        def a(request):
            return "ok"


        @cloud_event
        def b(event):
            pass
        """
    assert checked({"app.py": source}) == [
        ("a", "http", "declared"),
        ("b", "cloudevent", "declared"),
    ]


def test_an_unknown_decorator_of_lastword_declares_nothing() -> None:
    source = """\
        import lastword


        @lastword.background
        def f(payload):
            return "ok"
        """
    assert checked({"app.py": source}) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        *[(name, "http") for name in sorted(SIGNATURES["http"].params)],
        *[
            (name, "cloudevent")
            for name in sorted(SIGNATURES["cloudevent"].params - SIGNATURES["http"].params)
        ],
        *[
            (f"{first}, {second}", "event")
            for first in sorted(SIGNATURES["event"].params)
            for second in sorted(EVENT_CONTEXT_PARAMS)
        ],
        ("r: Request", "http"),
        ("e: CloudEvent", "cloudevent"),
        ("payload", None),
        ("request, extra=1", None),
        ("request, *args", None),
        ("data, context=None", None),
    ],
)
def test_shapes_come_from_the_signature_table(params: str, expected: str | None) -> None:
    import ast

    node = ast.parse(f"def f({params}):\n    pass\n").body[0]
    assert isinstance(node, ast.FunctionDef)
    assert shape_signature(node) == expected


def test_mixed_styles_in_main_py_are_all_checked() -> None:
    source = """\
        import functions_framework


        @functions_framework.http
        def a(request):
            return "ok"


        def b(request):
            return "ok"


        def c(cloud_event):
            pass


        def _private(request):
            return "ok"


        def helper(x):
            return x
        """
    assert checked({"main.py": source}) == [
        ("a", "http", "declared"),
        ("b", "http", "shaped"),
        ("c", "cloudevent", "shaped"),
    ]


def test_helpers_are_skipped_with_the_place_that_uses_them() -> None:
    source = """\
        import threading

        import functions_framework


        @functions_framework.http
        def a(request):
            threading.Thread(target=worker, args=(request,)).start()
            return handle(request)


        def handle(request):
            return "ok"


        def worker(req):
            pass


        def served(request):
            # handle(request) is mentioned in a comment only
            return "served"
        """
    result = check_project({"main.py": textwrap.dedent(source)})
    assert [f.name for f in result.checked] == ["a", "served"]
    assert [(f.name, f.why) for f in result.skipped] == [
        (
            "handle",
            "your code uses it at main.py:9, so it is checked as a helper of the functions "
            "that call it",
        ),
        (
            "worker",
            "your code uses it at main.py:8, so it is checked as a helper of the functions "
            "that call it",
        ),
    ]
    assert result.findings[0].code == "LW104"  # started in a, reported for a


def test_uses_in_tests_and_strings_do_not_make_a_helper() -> None:
    sources = {
        "main.py": 'def handler(request):\n    return "ok"\n\n__all__ = ["handler"]\n',
        "tests/test_main.py": "from main import handler\n\nhandler(None)\n",
        "conftest.py": "import main\n\nmain.handler(None)\n",
        "test_other.py": "from main import handler\nx = handler\n",
    }
    assert checked(sources) == [("handler", "http", "shaped")]
    sources["jobs.py"] = "import main\n\ndef run():\n    return main.handler(None)\n"
    assert checked(sources) == []


def test_trying_it_out_under_main_does_not_make_a_helper() -> None:
    source = """\
        def hello(request):
            return "hello"


        if __name__ == "__main__":
            print(hello(None))
        """
    assert checked({"main.py": source}) == [("hello", "http", "shaped")]


def test_a_helper_that_joins_with_a_timeout_does_not_finish_the_thread() -> None:
    source = """\
        import threading


        def wait_all(threads):
            for t in threads:
                t.join(timeout=5)


        def handler(request):
            threads = [threading.Thread(target=print) for _ in range(3)]
            for t in threads:
                t.start()
            wait_all(threads)
            return "ok"
        """
    result = check_project({"main.py": textwrap.dedent(source)})
    assert [(f.line, f.code) for f in result.findings] == [(10, "LW104")]


def test_several_apps_in_one_tree() -> None:
    sources = {
        "orders/main.py": """\
            import functions_framework


            @functions_framework.http
            def create(request):
                return "ok"


            def cancel(request):
                return "ok"
            """,
        "orders/lib.py": "def util(request):\n    return 1\n",
        "mail/main.py": "def send(cloud_event):\n    pass\n\n\ndef cancel(x):\n    pass\n",
        "mail/jobs.py": "from main import cancel\n\ncancel(1)\n",
    }
    assert checked(sources) == [
        ("send", "cloudevent", "shaped"),
        ("create", "http", "declared"),
        ("cancel", "http", "shaped"),
    ]


def test_without_main_py_the_declaring_modules_are_the_sources() -> None:
    sources = {
        "app.py": """\
            import functions_framework


            @functions_framework.http
            def a(request):
                return "ok"


            def b(request):
                return "ok"
            """,
        "other.py": "def c(request):\n    return 1\n",
    }
    assert checked(sources) == [("a", "http", "declared"), ("b", "http", "shaped")]
    assert checked({"other.py": sources["other.py"]}) == [("c", "http", "shaped")]


def test_target_checks_only_what_the_deployment_serves() -> None:
    source = """\
        import functions_framework


        @functions_framework.http
        def a(request):
            return "ok"


        def job(payload):
            return "ok"


        def b(request):
            return "ok"
        """
    assert checked({"main.py": source}, target="job") == [
        ("a", "http", "declared"),
        ("job", "http", "target"),
    ]


def test_no_return_at_all_in_every_kind_of_http_function() -> None:
    source = """\
        import functions_framework


        @functions_framework.http
        def declared(request):
            print("hi")


        def shaped(request):
            print("hi")


        async def shaped_async(req):
            print("hi")


        def event(cloud_event):
            print("events may return None")


        def streams(request):
            yield "chunk"


        def always_raises(request):
            raise ValueError("no")
        """
    result = check_project({"main.py": textwrap.dedent(source)})
    assert [(f.line, f.code) for f in result.findings] == [(5, "LW302"), (9, "LW302"), (13, "LW302")]
    assert "has no return statement" in result.findings[0].message
