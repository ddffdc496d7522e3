"""--reload: a change to the source folder restarts the workers; a broken file keeps the server up
(500 and the user's traceback in the log) until it is fixed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from lastword import Config

from .test_process_model import _wait

SYNC = "import os\n\ndef f(request):\n    return {!r} + ' ' + str(os.getpid())\n"
ASYNC = "async def f(request):\n    return {!r}\n"


def _body(served: Any) -> str:
    try:
        return served.get("/").text.split(" ")[0]
    except Exception:  # between workers
        return ""


@pytest.mark.parametrize("template", [SYNC, ASYNC], ids=["sync", "async"])
def test_a_change_reloads_and_a_broken_file_keeps_the_server_up(
    serve: Any, tmp_path: Path, template: str
) -> None:
    source = tmp_path / "main.py"
    source.write_text(template.format("one"))
    served = serve(source, "--target", "f", "--reload", "--log-format", "text", "--workers", "2")
    assert _body(served) == "one"
    time.sleep(0.3)
    source.write_text(template.format("two"))
    assert _wait(lambda: _body(served) == "two", 15), served.logs()
    assert "main.py changed: reloading" in served.logs()
    (tmp_path / "helper.py").write_text("x = (\n")  # a broken module the function imports next
    source.write_text("import helper\n" + template.format("three"))
    assert _wait(lambda: served.get("/").status_code == 500, 15), served.logs()
    response = served.get("/")
    assert "failed to load" in response.text and "SyntaxError" not in response.text
    log = served.wait_for_log("SyntaxError")
    assert 'helper.py", line 1' in log
    assert served.process.poll() is None  # still serving
    (tmp_path / "helper.py").write_text("x = 1\n")
    assert _wait(lambda: _body(served) == "three", 15), served.logs()


def test_starting_broken_under_reload_serves_500_until_fixed(serve: Any, tmp_path: Path) -> None:
    source = tmp_path / "main.py"
    source.write_text("def f(request)\n    return 'x'\n")
    served = serve(source, "--target", "f", "--reload", "--log-format", "text")
    assert served.get("/").status_code == 500
    assert served.get("/_lastword/health").status_code == 503
    source.write_text("def f(request):\n    return 'fixed'\n")
    assert _wait(lambda: served.get("/").text == "fixed", 15), served.logs()


def test_debug_means_reload_unless_told_not_to() -> None:
    assert Config.build(flags={"debug": True}).effective_reload is True
    assert Config.build(flags={"debug": True, "reload": False}).effective_reload is False
    assert Config.build(env={"DEBUG": "1"}).effective_reload is True
    assert Config.build().effective_reload is False
