"""The public API is exactly what __all__ says."""

import lastword
import lastword.testing


def test_public_names() -> None:
    assert sorted(lastword.__all__) == sorted(
        [
            "Config", "Declaration", "Invocation", "Work", "cloud_event", "create_app",
            "errorhandler", "event", "http", "typed", "wait_until",
        ]
    )
    for name in lastword.__all__:
        assert getattr(lastword, name).__module__.startswith("lastword")


def test_testing_names() -> None:
    assert sorted(lastword.testing.__all__) == sorted(
        ["Client", "InvocationReport", "LeftoverWork", "Result", "WorkReport", "lastword_client"]
    )


def test_import_is_light() -> None:
    """`import lastword` (a function's module does, for its decorators) imports no framework, no
    event loop and no command line: what it reaches is this list."""
    import subprocess
    import sys

    code = (
        "import sys; before = set(sys.modules); import lastword; "
        "print(' '.join(sorted(m for m in set(sys.modules) - before if not m.startswith('_'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    reached = set(out.split())
    ours = {m for m in reached if m.startswith("lastword")}
    assert ours == {
        "lastword", "lastword._config", "lastword._declare", "lastword._errors", "lastword._signatures"
    }
    heavy = {"asyncio", "threading", "flask", "werkzeug", "starlette", "uvicorn", "uvloop",
             "httptools", "click", "concurrent", "multiprocessing", "email", "http", "logging",
             "cloudevents", "socket", "subprocess"}
    assert not (reached - ours) & heavy, sorted((reached - ours) & heavy)


def test_what_a_cold_start_imports() -> None:
    """`lastword serve` of a function that reads no request, sync and async: the worker (forked
    from the supervisor, so holding what both imported) has the server's modules and nothing
    of a web framework, the command line, the checker, deploy, or multiprocessing."""
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import APPS, start_server

    with tempfile.TemporaryDirectory() as folder:
        served = start_server(Path(folder), [str(APPS / "lazy" / "main.py"), "--target", "modules"])
        try:
            loaded = set(served.get("/").text.split(","))
        finally:
            served.stop()
    assert loaded == {"asyncio", "uvloop", "httptools"}, loaded
