"""Work handed to wait_until with --cpu always outlives its response and is drained on SIGTERM."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

APP = '''
import asyncio, os, pathlib, time
import lastword

OUT = pathlib.Path(os.environ["OUT_DIR"])


async def flush(name):
    for _ in range(1000):  # until the test says go (after it has the response), or 10 s
        if (OUT / "go").exists():
            break
        await asyncio.sleep(0.01)
    (OUT / name).write_text("flushed")


async def handler(request):
    name = request.query_params["name"]
    lastword.wait_until(flush(name))
    return "accepted"


def sync_handler(request):
    name = request.args["name"]
    lastword.wait_until(lambda: (time.sleep(0.6), (OUT / name).write_text("flushed")))
    return "accepted"
'''


def _app(tmp_path: Path) -> Path:
    source = tmp_path / "main.py"
    source.write_text(APP)
    return source


def test_cpu_always_responds_first_and_drains_on_sigterm(serve: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    served = serve(_app(tmp_path), "--target", "handler", "--cpu", "always", "--log-format", "text", env={"OUT_DIR": str(out)})
    # the flush waits for "go", which comes only once the response is here: had the response
    # waited for the flush, it would have taken 10 s (and the client times out before)
    assert served.get("/?name=a").text == "accepted"
    assert not (out / "a").exists()
    (out / "go").write_text("")
    assert served.stop(signal.SIGTERM) == 0  # shutdown drains the handed-off work
    assert (out / "a").read_text() == "flushed"
    assert "still running" not in served.logs()  # handed off: never reported as a leftover


def test_cpu_request_waits_before_responding(serve: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    served = serve(_app(tmp_path), "--target", "sync_handler", env={"OUT_DIR": str(out)})
    started = time.monotonic()
    assert served.get("/?name=b").text == "accepted"
    assert time.monotonic() - started >= 0.55  # the response waited for the handed-off work
    assert (out / "b").read_text() == "flushed"
