"""Every kind of background work, tagged with the request's ``tag``, for the concurrency tests.

The work waits on ``RELEASE`` (set by the test once every response is in) so that it is certainly
still running when its invocation responds, however loaded the machine is. Import-time work runs
all along and must never be attributed to any invocation.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import lc_helpers
from lc_workers import crunch

RELEASE = threading.Event()
RELEASE_FILE = os.path.join(tempfile.gettempdir(), f"lc-release-{os.getpid()}-{id(RELEASE)}")
"""Child processes wait for this file."""


def release() -> None:
    """Let every piece of work end (the test calls this once every response is in)."""
    with open(RELEASE_FILE, "w"):
        pass
    RELEASE.set()
PROCESSES = multiprocessing.get_context("forkserver")
SHARED = ThreadPoolExecutor(max_workers=64, thread_name_prefix="shared")


def hold(tag: str) -> str:
    RELEASE.wait(20)
    return tag


async def hold_async(tag: str) -> str:
    while not RELEASE.is_set():
        await asyncio.sleep(0.01)
    return tag


def note(tag: str) -> None:
    pass


class Uploader(threading.Thread):
    def __init__(self, tag: str):
        super().__init__(name=f"uploader-{tag}")
        self.tag = tag

    def run(self) -> None:
        hold(self.tag)


# --- import time: a heartbeat that keeps starting work, attributed to nobody ------------------

STOP = threading.Event()


def _import_time_tick() -> None:
    time.sleep(0.01)


def _heartbeat() -> None:
    while not STOP.wait(0.02):
        threading.Thread(target=_import_time_tick, name="import-time-tick").start()
        SHARED.submit(_import_time_tick)


threading.Thread(target=_heartbeat, name="import-time-heartbeat", daemon=True).start()
SHARED.submit(hold, "import-time-job")


# --- the functions -----------------------------------------------------------------------------


def everything_sync(request):
    tag = request.args["tag"]
    threading.Thread(target=hold, args=(tag,), name=f"direct-{tag}").start()
    threading.Timer(0, hold, args=(tag,)).start()
    Uploader(tag).start()
    lc_helpers.in_background(hold, tag)
    ready = threading.Event()

    def fan_out() -> None:
        threading.Thread(target=hold, args=(tag,), name=f"inner-{tag}").start()
        ready.set()
        hold(tag)

    threading.Thread(target=fan_out, name=f"outer-{tag}").start()
    ready.wait(10)
    SHARED.submit(hold, tag)
    subprocess.Popen(["sh", "-c", f": {tag}; until [ -e {RELEASE_FILE} ] || [ $((i+=1)) -gt 600 ]; do sleep 0.05; done"])
    # forkserver: a forked child would inherit the pipes of other threads' subprocess.Popen calls
    PROCESSES.Process(target=crunch, args=(tag, RELEASE_FILE), name=f"crunch-{tag}").start()
    return tag


async def everything_async(request):
    tag = request.query_params["tag"]
    loop = asyncio.get_running_loop()
    asyncio.create_task(hold_async(tag))
    asyncio.ensure_future(hold_async(tag))
    loop.run_in_executor(None, hold, tag)
    asyncio.create_task(asyncio.to_thread(hold, tag), name=f"to-thread-{tag}")
    loop.call_later(20, note, tag)
    await asyncio.create_subprocess_exec("sh", "-c", f": {tag}; until [ -e {RELEASE_FILE} ] || [ $((i+=1)) -gt 600 ]; do sleep 0.05; done")
    loop.call_soon(note, tag)
    threading.Thread(target=hold, args=(tag,), name=f"from-async-{tag}").start()
    SHARED.submit(hold, tag)
    hold_async(tag)  # never awaited: this invocation answers 500
    return tag
