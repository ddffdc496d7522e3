import asyncio

import aiohttp
import functions_framework.aio
from starlette.responses import PlainTextResponse

WEBHOOK_TARGETS = ["https://hooks.example.com/a", "https://hooks.example.com/b"]


async def deliver(session: aiohttp.ClientSession, url: str, payload: dict) -> int:
    async with session.post(url, json=payload) as resp:
        return resp.status


@functions_framework.aio.http
async def fanout(request):
    payload = await request.json()
    session = aiohttp.ClientSession()
    for url in WEBHOOK_TARGETS:
        asyncio.ensure_future(deliver(session, url, payload))  # expect: LW101
    return PlainTextResponse("queued", status_code=202)
