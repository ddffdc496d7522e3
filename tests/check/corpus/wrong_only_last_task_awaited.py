import asyncio

import functions_framework.aio
from starlette.responses import PlainTextResponse


async def notify(user_id: str) -> None:
    ...


@functions_framework.aio.http
async def broadcast(request):
    users = (await request.json())["users"]
    for user in users:
        task = asyncio.create_task(notify(user))  # expect: LW101
    await task
    return PlainTextResponse("sent")
