import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def send_metrics(name: str, value: float) -> None:
    await asyncio.sleep(0.1)


@functions_framework.aio.http
async def checkout(request):
    order = await request.json()
    asyncio.create_task(send_metrics("checkout", order["total"]))  # expect: LW101
    return JSONResponse({"ok": True})
