import asyncio

import functions_framework.aio
from starlette.responses import PlainTextResponse


@functions_framework.aio.http
async def thumbnail(request):
    path = request.query_params["path"]
    proc = await asyncio.create_subprocess_exec("convert", path, "-resize", "64x64", "/tmp/t.png")
    code = await proc.wait()
    return PlainTextResponse(f"exit {code}")
