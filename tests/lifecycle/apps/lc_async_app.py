"""Async (Starlette-style) functions, each leaving background work behind -- or not."""

from __future__ import annotations

import asyncio
import contextlib
import time

from starlette.responses import StreamingResponse

import lastword

SENT: list[str] = []
"""Metrics that made it out (the 'wait' policy tests look here)."""


async def send_metrics(tag: str, seconds: float = 0.2) -> None:
    await asyncio.sleep(seconds)
    SENT.append(tag)


def upload(tag: str, seconds: float = 0.2) -> str:
    time.sleep(seconds)
    return tag


def flush(tag: str) -> None:
    SENT.append(f"flushed-{tag}")


def _tag(request) -> str:
    return request.query_params.get("tag", "none")


# --- left behind ------------------------------------------------------------------------------


async def task_left(request):
    asyncio.create_task(send_metrics(_tag(request)))
    return "accepted"


async def ensure_future_left(request):
    asyncio.ensure_future(send_metrics(_tag(request)))
    return "accepted"


async def run_in_executor_left(request):
    asyncio.get_running_loop().run_in_executor(None, upload, _tag(request))
    return "accepted"


async def to_thread_left(request):
    asyncio.create_task(asyncio.to_thread(upload, _tag(request)))
    return "accepted"


async def call_later_left(request):
    asyncio.get_running_loop().call_later(0.2, flush, _tag(request))
    return "accepted"


async def call_soon_left(request):
    asyncio.get_running_loop().call_soon(flush, _tag(request))
    return "accepted"


async def subprocess_left(request):
    process = await asyncio.create_subprocess_exec("sleep", "0.3")
    return str(process.pid)


async def task_raises_later(request):
    async def fail(tag: str) -> None:
        await asyncio.sleep(0.1)
        raise RuntimeError(f"metrics backend down for {tag}")

    asyncio.create_task(fail(_tag(request)))
    return "accepted"


async def unawaited(request):
    send_metrics(_tag(request))
    return "done"


async def returns_none(request):
    await send_metrics(_tag(request), 0)


async def returns_coroutine(request):
    return send_metrics(_tag(request), 0)


# --- the right versions ------------------------------------------------------------------------


async def task_awaited(request):
    task = asyncio.create_task(send_metrics(_tag(request), 0.02))
    await task
    return "done"


async def gathered(request):
    await asyncio.gather(*(send_metrics(f"{_tag(request)}-{i}", 0.02) for i in range(3)))
    return "done"


async def waited(request):
    tasks = [asyncio.ensure_future(send_metrics(_tag(request), 0.02)) for _ in range(2)]
    await asyncio.wait(tasks)
    return "done"


async def task_group(request):
    async with asyncio.TaskGroup() as group:
        group.create_task(send_metrics(_tag(request), 0.02))
        group.create_task(send_metrics(_tag(request), 0.01))
    return "done"


async def cancelled(request):
    task = asyncio.create_task(send_metrics(_tag(request), 5))
    await asyncio.sleep(0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return "done"


async def cancelled_not_awaited(request):
    task = asyncio.create_task(send_metrics(_tag(request), 5))
    handle = asyncio.get_running_loop().call_later(5, flush, _tag(request))
    await asyncio.sleep(0)
    task.cancel()
    handle.cancel()
    await asyncio.sleep(0)  # the task unwinds
    return "done"


async def executor_awaited(request):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, upload, _tag(request), 0.02)


async def to_thread_awaited(request):
    return await asyncio.to_thread(upload, _tag(request), 0.02)


async def finished_before_response(request):
    asyncio.create_task(send_metrics(_tag(request), 0))
    await asyncio.sleep(0.05)  # other work; the task is long done
    return "done"


async def call_soon_ran(request):
    loop = asyncio.get_running_loop()
    loop.call_soon(flush, _tag(request))
    await asyncio.sleep(0.01)
    return "done"


async def subprocess_waited(request):
    process = await asyncio.create_subprocess_exec("sleep", "0.05")
    await process.wait()
    return "done"


async def wait_until_coroutine(request):
    lastword.wait_until(send_metrics(_tag(request), 0.2))
    return "accepted"


async def wait_until_task(request):
    lastword.wait_until(asyncio.create_task(send_metrics(_tag(request), 0.2)))
    return "accepted"


async def streamed(request):
    async def chunks():
        for part in ("a", "b", "c"):
            yield part
            await asyncio.sleep(0)

    return StreamingResponse(chunks(), media_type="text/plain")


async def hello(request):
    return "Hello, World!"


# --- work with a visible effect, for the policy tests --------------------------------------------


async def write_later(path: str, seconds: float = 0.2) -> None:
    await asyncio.sleep(seconds)
    with open(path, "w") as out:
        out.write("written")


async def save_left(request):
    asyncio.create_task(write_later(request.query_params["path"]))
    return "accepted"


@lastword.http(background="wait")
async def declared_wait(request):
    asyncio.create_task(write_later(request.query_params["path"]))
    return "accepted"


@lastword.http(background="warn")
async def declared_warn(request):
    asyncio.create_task(write_later(request.query_params["path"]))
    return "accepted"


async def timer_and_callback_left(request):
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, flush, _tag(request))
    asyncio.create_task(send_metrics(_tag(request)))
    return "accepted"
