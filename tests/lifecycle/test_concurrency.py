"""50 invocations at once, each starting every kind of work: each report names its own, only."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor as RequestThreads
from typing import Any

import pytest

from lastword.testing import Client, Result

from .conftest import APPS

CONCURRENT = 50
APP = APPS / "lc_concurrent.py"
HELPERS = APPS / "lc_helpers.py"

# per kind of work: how many, and a pattern for one of each, {tag} standing for the request's tag
SYNC_WORK = {
    "thread": [
        r"'direct-{tag}' running hold\('{tag}'\)",
        r"'Thread-\d+': threading\.Timer\(0, hold\('{tag}'\)\)",
        r"'uploader-{tag}' \(Uploader\.run\)",
        r"'Thread-\d+ \(hold\)' running hold\('{tag}'\)",
        r"'outer-{tag}' running everything_sync\.<locals>\.fan_out\(\)",
        r"'inner-{tag}' running hold\('{tag}'\)",
    ],
    "executor job": [r"hold\('{tag}'\) via ThreadPoolExecutor\.submit"],
    "child process": [
        r"'sh -c : {tag}; until \[ -e .*\.\.\.' \(pid \d+, subprocess\.Popen\)",
        r"'crunch-{tag}' running crunch\('{tag}', '.*'\) \(pid \d+, multiprocessing\)",
    ],
}
ASYNC_WORK = {
    "asyncio task": [
        r"hold_async\('{tag}'\) \(task 'Task-\d+'\)",
        r"hold_async\('{tag}'\) \(task 'Task-\d+'\)",
        r"to_thread\(hold, \('{tag}',\), \{{\}}\) \(task 'to-thread-{tag}'\)",
    ],
    "executor job": [
        r"hold\('{tag}'\) via loop\.run_in_executor",
        r"hold\('{tag}'\) via ThreadPoolExecutor\.submit",
        r"hold\('{tag}'\) via asyncio\.to_thread",
    ],
    "loop callback": [r"loop\.call_later\(20, note\('{tag}'\)\)", r"loop\.call_soon\(note\('{tag}'\)\)"],
    "child process": [r"'sh -c : {tag}; until \[ -e .*\.\.\.' \(pid \d+, asyncio subprocess\)"],
    "thread": [r"'from-async-{tag}' running hold\('{tag}'\)"],
    "unawaited coroutine": [r"hold_async\('{tag}'\)"],
}


@pytest.fixture
def concurrent_app() -> Iterator[Any]:
    clients: list[Client] = []

    def serve(target: str) -> Client:
        client = Client(str(APP), target=target, allow_leftovers=True, threads=CONCURRENT + 10)
        clients.append(client)
        return client

    yield serve
    module = sys.modules["lc_concurrent"]
    module.release()
    module.STOP.set()
    for client in clients:
        client.close()
    _wait_for_children_to_end()  # their ends are logged: not in the next test's log
    for process in multiprocessing.active_children():  # the forkserver's children, not ours
        process.join(10)  # before the release file goes: else they wait out their own bound
    os.remove(module.RELEASE_FILE)


def _wait_for_children_to_end(timeout: float = 10.0) -> None:
    """Until the work's child processes have ended (multiprocessing's own forkserver and resource
    tracker live as long as this process: they are not the work's)."""
    import time

    def work_children() -> list[str]:
        found = []
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as listing:
            for pid in listing.read().split():
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        ended = stat.read().rsplit(")", 1)[1].split()[0] == "Z"
                    with open(f"/proc/{pid}/cmdline") as cmdline:
                        command = cmdline.read()
                except OSError:
                    continue
                if ended:  # it has ended; nobody polled its Popen once the client had closed
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(int(pid), os.WNOHANG)
                    continue
                if "multiprocessing.forkserver" not in command and "resource_tracker" not in command:
                    found.append(command.replace("\0", " "))
        return found

    deadline = time.monotonic() + timeout
    while work_children() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not work_children(), work_children()
    time.sleep(0.2)  # the process watcher notices an exit within its 50 ms interval


def _tag(i: int) -> str:
    return f"r{i:03d}x"


def _call_all(client: Client) -> list[Result]:
    barrier = threading.Barrier(CONCURRENT)

    def call(i: int) -> Result:
        barrier.wait(10)  # all requests in flight together
        return client.get(f"/?tag={_tag(i)}")

    with RequestThreads(max_workers=CONCURRENT) as requests:
        return list(requests.map(call, range(CONCURRENT)))


def _check(results: list[Result], expected: dict[str, list[str]], function: str, status: int) -> None:
    ids = set()
    all_tags = {_tag(i) for i in range(CONCURRENT)}
    for i, result in enumerate(results):
        tag = _tag(i)
        report = result.report
        assert report is not None
        assert result.status == status, (result.status, result.text)
        assert report.function == function
        ids.add(report.id)
        got: dict[str, list[str]] = {}
        for work in report.leftovers:
            got.setdefault(work.kind, []).append(work.description)
            # named after its own request and no other, nothing from import time
            others = {t for t in all_tags if t in work.description or t in work.message} - {tag}
            assert not others, (tag, work)
            assert "import-time" not in work.description
            assert work.site.startswith((str(APP) + ":", str(HELPERS) + ":")), work
            assert f"invocation {report.id} of {function}()" in work.message
        assert sorted(got) == sorted(expected), (tag, got)
        for kind, patterns in expected.items():
            descriptions = sorted(got[kind])
            unmatched = list(descriptions)
            for pattern in patterns:
                regex = re.compile(pattern.format(tag=tag))
                match = next((d for d in unmatched if regex.fullmatch(d)), None)
                assert match is not None, (tag, kind, pattern, descriptions)
                unmatched.remove(match)
            assert not unmatched, (tag, kind, unmatched)
    assert len(ids) == CONCURRENT


def test_sync_invocations_at_once(concurrent_app: Any) -> None:
    client = concurrent_app("everything_sync")
    results = _call_all(client)
    assert [r.text for r in results] == [_tag(i) for i in range(CONCURRENT)]
    _check(results, SYNC_WORK, "everything_sync", 200)


def test_async_invocations_at_once(concurrent_app: Any) -> None:
    client = concurrent_app("everything_async")
    results = _call_all(client)
    # each created a coroutine it never awaited: that is a 500 of its own
    _check(results, ASYNC_WORK, "everything_async", 500)
    for result in results:
        assert result.report is not None and result.report.outcome == "unawaited-coroutine"
