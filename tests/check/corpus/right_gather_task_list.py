import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def process(item: dict) -> dict:
    return item


@functions_framework.aio.http
async def batch(request):
    items = await request.json()
    tasks = []
    for item in items:
        tasks.append(asyncio.create_task(process(item)))
    results = await asyncio.gather(*tasks)
    return JSONResponse(results)
