"""Async (Starlette-style) functions with a long-lived asyncio client: right and wrong."""

from __future__ import annotations

import asyncio

import httpx
from standin import library

aioclient = library("aioclient")
batcher = aioclient.AsyncBatcher()  # at import time; its flush task starts on first use


async def send_awaited(request):
    future = await batcher.send(request.query_params.get("m", "m"))
    return f"sent {await future}"


async def send_dropped(request):
    await batcher.send(request.query_params.get("m", "m"))  # the future is dropped
    return "accepted"


async def http_with_shield_timeout(request):
    async def write() -> None:
        await asyncio.sleep(0.3)

    try:
        await asyncio.wait_for(asyncio.shield(write()), 0.02)
    except asyncio.TimeoutError:
        return "timed out; the shielded write goes on"
    return "done"


async def httpx_client_per_request(request):
    url = request.query_params["url"]
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return {"status": response.status_code}


async def _fetch(url: str) -> int:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return response.status_code


async def httpx_request_left(request):
    asyncio.create_task(_fetch(request.query_params["url"]))
    return "fetching"


async def httpx_wait_gave_up(request):
    task = asyncio.create_task(_fetch(request.query_params["url"]))
    done, _ = await asyncio.wait([task], timeout=0.3)  # the task goes on: it is reading the answer
    return f"{len(done)} done"


async def httpx_requests_gathered(request):
    url = request.query_params["url"]
    codes = await asyncio.gather(*(_fetch(url) for _ in range(3)))
    return {"codes": codes}
