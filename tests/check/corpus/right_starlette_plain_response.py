import functions_framework.aio
from starlette.responses import JSONResponse


async def save(row: dict) -> None:
    ...


@functions_framework.aio.http
async def store(request):
    row = await request.json()
    await save(row)
    return JSONResponse({"saved": True}, status_code=201)
