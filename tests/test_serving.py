"""Concurrency, workers, the start-up line, the CLI entry points, shutdown."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from conftest import APPS, start_server


def test_startup_line(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "hello", "--threads", "3")
    line = served.logs().splitlines()[0]
    assert line.startswith("lastword: serving hello (http) from ")
    assert "http_basic.py at http://127.0.0.1:" in line
    assert "1 worker, 3 threads" in line


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    for command in ([sys.executable, "-m", "lastword", "--help"], ["lastword", "--help"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        assert "serve" in result.stdout and "check" in result.stdout


def _sleep_app(tmp_path: Path) -> Path:
    source = tmp_path / "sleepy.py"
    source.write_text(
        "import asyncio, os, threading, time\n"
        "lock = threading.Lock()\n"
        "running = [0, 0]  # now, most at once\n"
        "def _enter():\n"
        "    with lock:\n"
        "        running[0] += 1\n"
        "        running[1] = max(running)\n"
        "def _leave():\n"
        "    with lock:\n"
        "        running[0] -= 1\n"
        "def sync_sleep(request):\n"
        "    if request.path == '/most':\n"
        "        return str(running[1])\n"
        "    _enter()\n"
        "    time.sleep(0.3)\n"
        "    _leave()\n"
        "    return str(os.getpid())\n"
        "async def async_sleep(request):\n"
        "    if request.url.path == '/most':\n"
        "        return str(running[1])\n"
        "    _enter()\n"
        "    for _ in range(1000):  # until all 40 are in (they can all be, on one loop)\n"
        "        if running[1] >= 40:\n"
        "            break\n"
        "        await asyncio.sleep(0.01)\n"
        "    _leave()\n"
        "    return str(os.getpid())\n"
    )
    return source


def _concurrent_gets(url: str, count: int) -> tuple[float, list[str]]:
    started = time.monotonic()
    limits = httpx.Limits(max_connections=count)
    with (
        httpx.Client(base_url=url, timeout=30, limits=limits) as client,
        concurrent.futures.ThreadPoolExecutor(count) as pool,
    ):
        bodies = list(pool.map(lambda _: client.get("/").text, range(count)))
    return time.monotonic() - started, bodies


def test_sync_functions_run_on_a_bounded_thread_pool(serve: Any, tmp_path: Path) -> None:
    served = serve(_sleep_app(tmp_path), "--target", "sync_sleep", "--threads", "4")
    elapsed, _ = _concurrent_gets(served.url, 8)
    # 8 requests of 0.3 s on 4 threads: at most 4 at once, and two rounds at least
    assert served.get("/most").text == "4"
    assert elapsed > 0.55, elapsed


def test_async_functions_run_concurrently_on_the_loop(serve: Any, tmp_path: Path) -> None:
    served = serve(_sleep_app(tmp_path), "--target", "async_sleep", "--threads", "1")
    _concurrent_gets(served.url, 40)
    assert served.get("/most").text == "40"  # all at once, on the loop, not on the one thread


def test_workers_share_the_port(serve: Any, tmp_path: Path) -> None:
    served = serve(_sleep_app(tmp_path), "--target", "sync_sleep", "--workers", "2", "--threads", "1")
    pids: set[str] = set()
    deadline = time.monotonic() + 20
    while len(pids) < 2 and time.monotonic() < deadline:
        _, bodies = _concurrent_gets(served.url, 4)
        pids.update(bodies)
    assert len(pids) == 2, pids
    assert str(served.process.pid) not in pids  # the supervisor does not serve


def test_sigterm_stops_workers(tmp_path: Path) -> None:
    served = start_server(tmp_path, [str(APPS / "http_basic.py"), "--target", "hello", "--workers", "2"])
    assert httpx.get(served.url).text == "Hello, World!"
    children = _children(served.process.pid)
    assert len(children) >= 2
    assert served.stop(signal.SIGTERM) == 0
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]


def test_sigterm_single_process(tmp_path: Path) -> None:
    served = start_server(tmp_path, [str(APPS / "http_basic.py"), "--target", "hello"])
    assert httpx.get(served.url).status_code == 200
    assert served.stop(signal.SIGTERM) == 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
