import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def process(item: dict) -> None:
    await asyncio.sleep(0)


@functions_framework.aio.http
async def batch(request):
    items = await request.json()
    for item in items:
        asyncio.create_task(process(item))  # expect: LW101
    return JSONResponse({"accepted": len(items)})
