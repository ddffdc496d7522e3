import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def query_replica(name: str) -> dict:
    return {"replica": name}


@functions_framework.aio.http
async def fastest(request):
    tasks = [asyncio.create_task(query_replica(n)) for n in ("a", "b", "c")]  # expect: LW101
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    return JSONResponse(done.pop().result())
