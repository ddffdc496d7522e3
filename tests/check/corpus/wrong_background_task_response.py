import functions_framework.aio
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse


async def write_audit_log(user: str) -> None:
    ...


@functions_framework.aio.http
async def login(request):
    body = await request.json()
    task = BackgroundTask(write_audit_log, body["user"])  # expect: LW201
    return JSONResponse({"ok": True}, background=task)
