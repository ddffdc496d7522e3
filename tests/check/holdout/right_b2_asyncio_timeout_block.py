import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def score(text: str) -> float:
    await asyncio.sleep(0.1)
    return 0.5


@functions_framework.aio.http
async def moderate(request):
    text = (await request.json())["text"]
    task = asyncio.create_task(score(text))
    try:
        async with asyncio.timeout(3):
            value = await task
    except TimeoutError:
        return JSONResponse({"error": "timeout"}, status_code=504)
    return JSONResponse({"score": value})
