import asyncio

import functions_framework.aio
from starlette.responses import PlainTextResponse

CACHE: dict[str, str] = {}


def evict(key: str) -> None:
    CACHE.pop(key, None)


@functions_framework.aio.http
async def remember(request):
    key = request.query_params["key"]
    CACHE[key] = request.query_params["value"]
    loop = asyncio.get_running_loop()
    loop.call_later(60, evict, key)  # expect: LW102
    return PlainTextResponse("stored")
