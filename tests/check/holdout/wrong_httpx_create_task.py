import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse

ANALYTICS_URL = "https://analytics.example.com/v1/events"


async def send_event(name: str, props: dict) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        await client.post(ANALYTICS_URL, json={"event": name, "properties": props})


@functions_framework.aio.http
async def checkout(request):
    cart = await request.json()
    total = sum(item["price"] * item["qty"] for item in cart["items"])
    asyncio.create_task(send_event("checkout", {"total": total}))  # expect: LW101
    return JSONResponse({"total": total})
