import asyncio
import hashlib

import functions_framework.aio
from starlette.responses import PlainTextResponse


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functions_framework.aio.http
async def checksum(request):
    data = await request.body()
    loop = asyncio.get_running_loop()
    value = await loop.run_in_executor(None, digest, data)
    return PlainTextResponse(value)
