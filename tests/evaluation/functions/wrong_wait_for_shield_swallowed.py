"""Place an order: answer within 300 ms; if saving is slow, say it is pending."""

import asyncio
import os

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def _save(order):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.put(f"/orders/{order.get('id')}", params={"delay": "1.0"}, json=order)


@functions_framework.aio.http
async def place_order(request):
    order = await request.json()
    save = asyncio.create_task(_save(order))
    try:
        await asyncio.wait_for(asyncio.shield(save), timeout=0.3)
        status = "saved"
    except asyncio.TimeoutError:
        status = "pending"
    return JSONResponse({"order": order.get("id"), "status": status})
