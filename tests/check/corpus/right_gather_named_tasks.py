import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


async def charge(order: dict) -> str:
    return "charged"


async def reserve(order: dict) -> str:
    return "reserved"


@functions_framework.aio.http
async def order(request):
    body = await request.json()
    charging = asyncio.create_task(charge(body))
    reserving = asyncio.create_task(reserve(body))
    charged, reserved = await asyncio.gather(charging, reserving)
    return JSONResponse({"charged": charged, "reserved": reserved})
