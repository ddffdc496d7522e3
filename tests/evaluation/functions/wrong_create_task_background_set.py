"""Create a document and index it for search in the background."""

import asyncio
import os
import uuid

import httpx
from starlette.responses import JSONResponse

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
_background_tasks = set()


async def _index(doc):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post("/search/index", params={"delay": "0.7"}, json=doc)


@lastword.http
async def create_doc(request):
    doc = await request.json()
    doc["id"] = uuid.uuid4().hex
    task = asyncio.create_task(_index(doc))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return JSONResponse(doc, status_code=201)
