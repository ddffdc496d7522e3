"""On a new upload: scan it, extract its text and record its metadata, concurrently."""

import asyncio
import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def _call(client, step, data):
    response = await client.post(f"/pipeline/{step}", params={"delay": "0.2"}, json=data)
    response.raise_for_status()


async def on_upload(cloud_event):
    data = {"bucket": cloud_event.data["bucket"], "name": cloud_event.data["name"]}
    client = httpx.AsyncClient(base_url=BACKEND, timeout=10)
    async with client, asyncio.TaskGroup() as group:
        for step in ("virus-scan", "extract-text", "metadata"):
            group.create_task(_call(client, step, data))
