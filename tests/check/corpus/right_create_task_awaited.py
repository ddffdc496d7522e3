import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def send_metrics(name: str) -> None:
    ...


@functions_framework.aio.http
async def checkout(request):
    metrics = asyncio.create_task(send_metrics("checkout"))
    order = await request.json()
    await metrics
    return JSONResponse({"ok": True, "order": order})
