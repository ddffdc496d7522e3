"""Sync (Flask-style) functions, each leaving background work behind -- or not."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import lc_helpers

import lastword

UPLOADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="uploads")
"""A module-level pool, shared by every request."""


def upload(tag: str, seconds: float = 0.2) -> str:
    time.sleep(seconds)
    return tag


def flush_metrics(tag: str) -> None:
    time.sleep(0.01)


def crunch(tag: str) -> None:  # runs in a child process
    time.sleep(0.3)


class Uploader(threading.Thread):
    def __init__(self, tag: str):
        super().__init__(name=f"uploader-{tag}")
        self.tag = tag

    def run(self) -> None:
        time.sleep(0.2)


def _tag(request) -> str:
    return request.args.get("tag", "none")


# --- left behind ------------------------------------------------------------------------------


def thread_left(request):
    threading.Thread(target=upload, args=(_tag(request),), name=f"upload-{_tag(request)}").start()
    return "accepted"


def timer_left(request):
    threading.Timer(0.2, flush_metrics, args=(_tag(request),)).start()
    return "accepted"


def subclass_left(request):
    Uploader(_tag(request)).start()
    return "accepted"


def helper_left(request):
    lc_helpers.start_upload(_tag(request))
    return "accepted"


def nested_left(request):
    tag = _tag(request)
    ready = threading.Event()

    def fan_out() -> None:
        threading.Thread(target=upload, args=(f"inner-{tag}",), name=f"inner-{tag}").start()
        ready.set()
        time.sleep(0.2)

    threading.Thread(target=fan_out, name=f"outer-{tag}").start()
    ready.wait(5)
    return "accepted"


def pool_left(request):
    UPLOADS.submit(upload, _tag(request))
    return "accepted"


def popen_left(request):
    process = subprocess.Popen(["sleep", "0.3"])
    return str(process.pid)


def multiprocessing_left(request):
    process = multiprocessing.Process(target=crunch, args=(_tag(request),), name=f"crunch-{_tag(request)}")
    process.start()
    return str(process.pid)


def thread_raises_later(request):
    def fail() -> None:
        time.sleep(0.1)
        raise ValueError(f"upload failed for {_tag_value}")

    _tag_value = _tag(request)
    threading.Thread(target=fail, name=f"fails-{_tag_value}").start()
    return "accepted"


# --- not responding ---------------------------------------------------------------------------


async def _render(tag: str) -> str:
    return f"hello {tag}"


class _Deferred:
    """An awaitable that is not a coroutine."""

    def __await__(self):
        yield from asyncio.sleep(0).__await__()
        return "hello"


def returns_coroutine(request):
    return _render(_tag(request))


def returns_awaitable(request):
    return _Deferred()


def returns_none(request):
    print("processed", _tag(request))


def unawaited_in_sync(request):
    _render(_tag(request))
    return "done"


# --- the right versions ------------------------------------------------------------------------


def thread_joined(request):
    thread = threading.Thread(target=upload, args=(_tag(request), 0.02))
    thread.start()
    thread.join()
    return "done"


def threads_list_joined(request):
    threads = [threading.Thread(target=upload, args=(f"{_tag(request)}-{i}", 0.02)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return "done"


def with_executor(request):
    with ThreadPoolExecutor(max_workers=2) as executor:
        executor.submit(upload, _tag(request), 0.02)
        executor.submit(upload, _tag(request), 0.03)
    return "done"


def future_result(request):
    return UPLOADS.submit(upload, _tag(request), 0.02).result()


def pool_map(request):
    return ",".join(UPLOADS.map(upload, [_tag(request)] * 3, [0.01] * 3))


def helper_joined(request):
    lc_helpers.upload_now(_tag(request))
    return "done"


def nested_joined(request):
    def fan_out() -> None:
        inner = threading.Thread(target=upload, args=(_tag(request), 0.02))
        inner.start()
        inner.join()

    outer = threading.Thread(target=fan_out)
    outer.start()
    outer.join()
    return "done"


def finished_before_response(request):
    done = threading.Event()

    def quick() -> None:
        done.set()

    threading.Thread(target=quick).start()
    done.wait(5)  # the thread's work is over; it is never joined
    return "done"


def timer_cancelled(request):
    timer = threading.Timer(5, flush_metrics, args=(_tag(request),))
    timer.start()
    timer.cancel()
    timer.join()
    return "done"


def subprocess_run(request):
    return subprocess.run(["echo", _tag(request)], capture_output=True, text=True, check=True).stdout


def popen_waited(request):
    with subprocess.Popen(["sleep", "0.05"]) as process:
        process.wait()
    return "done"


def multiprocessing_joined(request):
    process = multiprocessing.Process(target=flush_metrics, args=(_tag(request),))
    process.start()
    process.join()
    return "done"


def wait_until_callable(request):
    tag = _tag(request)
    lastword.wait_until(lambda: upload(tag, 0.2))
    return "accepted"


def wait_until_future(request):
    lastword.wait_until(UPLOADS.submit(upload, _tag(request), 0.2))
    return "accepted"


def hello(request):
    return "Hello, World!"


def write_later(path: str, seconds: float = 0.2) -> None:
    time.sleep(seconds)
    with open(path, "w") as out:
        out.write("written")


def save_left(request):
    threading.Thread(target=write_later, args=(request.args["path"],), name="save").start()
    return "accepted"


def timer_left_long(request):
    threading.Timer(0.3, write_later, args=(request.args["path"], 0)).start()
    return "accepted"
