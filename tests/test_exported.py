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
    import subprocess
    import sys

    code = "import sys, lastword; print(sorted(m for m in ('flask', 'starlette', 'uvicorn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
