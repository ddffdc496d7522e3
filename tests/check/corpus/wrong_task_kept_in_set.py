import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse

_background_tasks: set[asyncio.Task] = set()


async def refresh_cache(key: str) -> None:
    ...


@functions_framework.aio.http
async def lookup(request):
    key = request.query_params["key"]
    task = asyncio.create_task(refresh_cache(key))  # expect: LW101
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return JSONResponse({"key": key})
