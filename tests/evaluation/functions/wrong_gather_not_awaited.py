"""Broadcast a message to every subscriber's push endpoint."""

import asyncio
import os

import httpx
from starlette.responses import JSONResponse

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.AsyncClient(base_url=BACKEND, timeout=10)


async def _push(subscriber, message):
    await client.post(f"/push/{subscriber}", params={"delay": "0.5"}, json={"message": message})


async def broadcast(request):
    body = await request.json()
    subscribers = body.get("subscribers", [])
    asyncio.gather(*(_push(s, body.get("message", "")) for s in subscribers))
    return JSONResponse({"sent_to": len(subscribers)})
