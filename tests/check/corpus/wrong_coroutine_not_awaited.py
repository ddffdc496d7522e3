import functions_framework.aio
from starlette.responses import JSONResponse


async def log_event(kind: str, payload: dict) -> None:
    ...


@functions_framework.aio.http
async def webhook(request):
    payload = await request.json()
    log_event("webhook", payload)  # expect: LW401
    return JSONResponse({"received": True})
