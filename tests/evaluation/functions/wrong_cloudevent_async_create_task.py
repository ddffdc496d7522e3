"""Index each new document uploaded to the bucket."""

import asyncio
import os

import functions_framework.aio
import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def _index(bucket, name):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post("/search/index", params={"delay": "0.7"}, json={"gcs": f"{bucket}/{name}"})


@functions_framework.aio.cloud_event
async def index_upload(cloud_event):
    data = cloud_event.data
    asyncio.create_task(_index(data["bucket"], data["name"]))
