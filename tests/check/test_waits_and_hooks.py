"""Waits that can give up (timeouts), and Flask callbacks that run before the response."""

from __future__ import annotations

import textwrap

import pytest

from lastword._check._analyze import check_sources
from lastword._check._rules import RULES

SYNC = """\
import asyncio
import concurrent.futures
import subprocess
import threading
from concurrent.futures import FIRST_COMPLETED, wait

import functions_framework

pool = concurrent.futures.ThreadPoolExecutor()


def work() -> None:
    ...


@functions_framework.http
def handler(request):
"""
START = "    t = threading.Thread(target=work)\n    t.start()\n"
SUBMIT = "    f = pool.submit(work)\n"


def lines(body: str, enabled: bool = False) -> list[tuple[int, str]]:
    source = SYNC + textwrap.indent(textwrap.dedent(body), "    ")
    chosen = RULES.__contains__ if enabled else None
    found = check_sources({"main.py": source}, enabled=chosen)
    first = SYNC.count("\n") + 1
    return [(f.line - first + 1, f.code) for f in found]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(START + "    t.join()\n    return 'ok'\n", [], id="join"),
        pytest.param(START + "    t.join(timeout=5)\n    return 'ok'\n", [(1, "LW104")], id="join-timeout"),
        pytest.param(START + "    t.join(5)\n    return 'ok'\n", [(1, "LW104")], id="join-positional"),
        pytest.param(START + "    t.join(None)\n    return 'ok'\n", [], id="join-none"),
        pytest.param(
            START + "    t.join(timeout=5)\n    if t.is_alive():\n        return 'busy', 503\n    return 'ok'\n",
            [],
            id="join-timeout-then-is-alive",
        ),
        pytest.param(
            START + "    while t.is_alive():\n        t.join(1)\n    return 'ok'\n",
            [],
            id="join-in-an-is-alive-loop",
        ),
        pytest.param(
            START + "    if t.is_alive():\n        return 'busy', 503\n    return 'ok'\n",
            [(1, "LW104")],
            id="is-alive-without-a-wait",
        ),
        pytest.param(
            START + "    if not t.is_alive():\n        return 'done'\n    t.join()\n    return 'ok'\n",
            [],
            id="not-alive-means-finished",
        ),
        pytest.param(
            SUBMIT + "    try:\n        f.result(timeout=5)\n    except concurrent.futures.TimeoutError:\n"
            "        pass\n    return 'ok'\n",
            [(1, "LW103")],
            id="result-timeout-swallowed",
        ),
        pytest.param(
            SUBMIT + "    try:\n        f.result(timeout=5)\n    except TimeoutError:\n"
            "        raise\n    return 'ok'\n",
            [],
            id="result-timeout-reraised",
        ),
        pytest.param(
            SUBMIT + "    try:\n        f.result(timeout=5)\n    except Exception:\n"
            "        f.cancel()\n        return 'slow', 504\n    return 'ok'\n",
            [],
            id="result-timeout-cancelled",
        ),
        pytest.param(
            SUBMIT + "    try:\n        f.result(timeout=5)\n    except ValueError:\n"
            "        return 'bad', 400\n    return 'ok'\n",
            [],
            id="result-timeout-not-caught",
        ),
        pytest.param(
            SUBMIT + "    try:\n        f.result()\n    except Exception:\n"
            "        return 'failed', 500\n    return 'ok'\n",
            [],
            id="result-raised-means-done",
        ),
        pytest.param(
            "    fs = [pool.submit(work) for _ in range(3)]\n    wait(fs, timeout=5)\n    return 'ok'\n",
            [(1, "LW103")],
            id="wait-timeout-ignored",
        ),
        pytest.param(
            "    fs = [pool.submit(work) for _ in range(3)]\n    done, not_done = wait(fs, timeout=5)\n"
            "    if not_done:\n        return 'partial', 504\n    return 'ok'\n",
            [],
            id="wait-timeout-checked",
        ),
        pytest.param(
            "    fs = [pool.submit(work) for _ in range(3)]\n"
            "    done, pending = wait(fs, return_when=FIRST_COMPLETED)\n"
            "    if pending:\n        return 'partial'\n    return 'ok'\n",
            [(1, "LW103")],
            id="first-completed-is-not-a-timeout",
        ),
        pytest.param(
            "    p = subprocess.Popen(['convert'])\n    try:\n        p.wait(timeout=30)\n"
            "    except subprocess.TimeoutExpired:\n        return 'slow', 504\n    return 'ok'\n",
            [(1, "LW105")],
            id="popen-wait-timeout-swallowed",
        ),
        pytest.param(
            "    p = subprocess.Popen(['convert'])\n    try:\n        p.wait(timeout=30)\n"
            "    except subprocess.TimeoutExpired:\n        p.kill()\n        p.wait()\n"
            "        return 'slow', 504\n    return 'ok'\n",
            [],
            id="popen-wait-timeout-killed",
        ),
    ],
)
def test_sync_waits(body: str, expected: list[tuple[int, str]]) -> None:
    assert lines(body) == expected


def test_the_message_names_the_wait_that_gives_up() -> None:
    source = SYNC + textwrap.indent(START + "    t.join(timeout=5)\n    return 'ok'\n", "    ")
    (finding,) = check_sources({"main.py": source})
    assert "it is waited for at line 20 (`t.join(timeout=5)`), but that wait gives up" in (
        finding.message
    )


ASYNC = """\
import asyncio

import functions_framework.aio


def blocking() -> None:
    ...


async def job() -> None:
    ...


@functions_framework.aio.http
async def handler(request):
"""


def async_lines(body: str) -> list[tuple[int, str]]:
    source = ASYNC + textwrap.indent(textwrap.dedent(body), "    ")
    first = ASYNC.count("\n") + 1
    return [(f.line - first + 1, f.code) for f in check_sources({"main.py": source})]


SWALLOW = "try:\n    await asyncio.wait_for({}, timeout=2)\nexcept asyncio.TimeoutError:\n    pass\nreturn 'ok'\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(SWALLOW.format("job()"), [], id="coroutine-is-cancelled"),
        pytest.param("t = asyncio.create_task(job())\n" + SWALLOW.format("t"), [], id="task-is-cancelled"),
        pytest.param(
            "t = asyncio.create_task(job())\n" + SWALLOW.format("asyncio.shield(t)"),
            [(1, "LW101")],
            id="shielded-task-goes-on",
        ),
        pytest.param(SWALLOW.format("asyncio.to_thread(blocking)"), [(2, "LW104")], id="to-thread-goes-on"),
        pytest.param(
            "loop = asyncio.get_running_loop()\n"
            + SWALLOW.format("loop.run_in_executor(None, blocking)"),
            [(3, "LW103")],
            id="executor-future-goes-on",
        ),
        pytest.param(
            "try:\n    await asyncio.wait_for(asyncio.to_thread(blocking), timeout=2)\n"
            "except asyncio.TimeoutError:\n    raise\nreturn 'ok'\n",
            [],
            id="timeout-reraised",
        ),
        pytest.param(
            "try:\n    async with asyncio.timeout(2):\n        await asyncio.to_thread(blocking)\n"
            "except TimeoutError:\n    pass\nreturn 'ok'\n",
            [(3, "LW104")],
            id="timeout-block",
        ),
        pytest.param(
            "tasks = [asyncio.create_task(job()) for _ in range(3)]\n"
            "done, pending = await asyncio.wait(tasks, timeout=5)\nreturn 'ok'\n",
            [(1, "LW101")],
            id="asyncio-wait-timeout-ignored",
        ),
        pytest.param(
            "tasks = [asyncio.create_task(job()) for _ in range(3)]\n"
            "done, pending = await asyncio.wait(tasks, timeout=5)\n"
            "for t in pending:\n    t.cancel()\nreturn 'ok'\n",
            [],
            id="asyncio-wait-timeout-cancelled",
        ),
    ],
)
def test_async_waits(body: str, expected: list[tuple[int, str]]) -> None:
    assert async_lines(body) == expected


FLASK = """\
import threading

import functions_framework
import requests
from flask import after_this_request


def audit(path: str) -> None:
    ...


@functions_framework.http
def handler(request):
"""


def flask_lines(body: str, enabled: bool = False) -> list[tuple[int, str]]:
    source = FLASK + textwrap.indent(textwrap.dedent(body), "    ")
    first = FLASK.count("\n") + 1
    chosen = RULES.__contains__ if enabled else None
    found = check_sources({"main.py": source}, enabled=chosen)
    return [(f.line - first + 1, f.code) for f in found]


HEADERS = """\
@after_this_request
def cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

return "ok"
"""
SLOW = """\
@after_this_request
def notify(response):
    requests.post("https://example.com", json={}, timeout=10)
    return response

return "ok"
"""
STARTS = """\
@after_this_request
def record(response):
    threading.Thread(target=audit, args=(request.path,)).start()
    return response

return "ok"
"""
STARTS_AND_JOINS = """\
@after_this_request
def record(response):
    worker = threading.Thread(target=audit, args=(request.path,))
    worker.start()
    worker.join()
    return response

return "ok"
"""
CALL_FORM = """\
def record(response):
    threading.Timer(5, audit, args=(request.path,)).start()
    return response

after_this_request(record)
return "ok"
"""


@pytest.mark.parametrize(
    ("body", "default", "every_rule"),
    [
        pytest.param(HEADERS, [], [], id="edits-the-response"),
        pytest.param(SLOW, [], [(1, "LW203")], id="slow-work-is-a-hint"),
        pytest.param(STARTS, [(3, "LW104")], [(1, "LW203"), (3, "LW104")], id="starts-a-thread"),
        pytest.param(STARTS_AND_JOINS, [], [(1, "LW203")], id="joins-its-thread"),
        pytest.param(CALL_FORM, [(2, "LW104")], [(2, "LW104"), (5, "LW203")], id="call-form"),
    ],
)
def test_after_this_request(
    body: str, default: list[tuple[int, str]], every_rule: list[tuple[int, str]]
) -> None:
    assert flask_lines(body) == default
    assert flask_lines(body, enabled=True) == every_rule


def test_work_started_in_a_hook_says_where_it_runs() -> None:
    source = FLASK + textwrap.indent(STARTS, "    ")
    (finding,) = check_sources({"main.py": source})
    assert (
        "never finish; it is started in the after_this_request callback `record`, which Flask "
        "runs before it sends the response, and nothing waits for it there: call .join() on it"
    ) in finding.message


def test_call_on_close_is_still_after_the_response() -> None:
    body = """\
    from flask import make_response

    response = make_response("ok")
    response.call_on_close(lambda: requests.post("https://example.com", timeout=10))
    return response
    """
    assert flask_lines(body) == [(4, "LW202")]
