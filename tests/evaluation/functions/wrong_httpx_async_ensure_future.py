"""Receive a webhook and forward it to the internal event bus."""

import asyncio
import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.AsyncClient(base_url=BACKEND, timeout=10)


async def webhook(request):
    event = await request.json()
    asyncio.ensure_future(client.post("/bus/forward", params={"delay": "0.8"}, json=event))
    return {"received": event.get("id")}
