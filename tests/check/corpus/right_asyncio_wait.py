import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def probe(region: str) -> bool:
    return True


@functions_framework.aio.http
async def regions(request):
    tasks = {asyncio.create_task(probe(r)) for r in ("us", "eu", "asia")}
    done, pending = await asyncio.wait(tasks, timeout=5)
    for task in pending:
        task.cancel()
    return JSONResponse({"up": sum(t.result() for t in done)})
