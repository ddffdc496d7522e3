import functions_framework.aio
from starlette.responses import JSONResponse


async def handle(request):
    return JSONResponse({"ok": True})


@functions_framework.aio.http
async def entry(request):
    return await handle(request)
