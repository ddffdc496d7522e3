import anyio
import functions_framework.aio
from starlette.responses import PlainTextResponse


async def notify(user: str) -> None:
    ...


@functions_framework.aio.http
async def broadcast(request):
    users = (await request.json())["users"]
    async with anyio.create_task_group() as tg:
        for user in users:
            tg.start_soon(notify, user)
    return PlainTextResponse("sent")
