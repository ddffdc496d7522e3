import anyio
import functions_framework.aio
from starlette.responses import JSONResponse


async def resize(name: str, sizes: list[int], results: dict) -> None:
    await anyio.sleep(0.01)
    results[name] = sizes


@functions_framework.aio.http
async def resize_all(request):
    body = await request.json()
    results: dict = {}
    async with anyio.create_task_group() as tg:
        for name in body["images"]:
            tg.start_soon(resize, name, [64, 256, 1024], results)
    return JSONResponse(results)
