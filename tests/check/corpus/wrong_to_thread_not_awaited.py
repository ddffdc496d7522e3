import asyncio

import functions_framework.aio
from starlette.responses import Response


def write_file(data: bytes) -> None:
    ...


@functions_framework.aio.http
async def save(request):
    data = await request.body()
    asyncio.to_thread(write_file, data)  # expect: LW401
    return Response(status_code=201)
