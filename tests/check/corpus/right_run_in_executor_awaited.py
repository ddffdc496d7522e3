import asyncio

import functions_framework.aio
from starlette.responses import Response


def write_audit(payload: bytes) -> None:
    ...


@functions_framework.aio.http
async def audit(request):
    payload = await request.body()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, write_audit, payload)
    return Response(status_code=204)
