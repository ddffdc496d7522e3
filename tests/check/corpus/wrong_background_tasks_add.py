import functions_framework.aio
from starlette.background import BackgroundTasks
from starlette.responses import JSONResponse


async def send_welcome(email: str) -> None:
    ...


async def add_to_crm(email: str) -> None:
    ...


@functions_framework.aio.http
async def signup(request):
    form = await request.json()
    tasks = BackgroundTasks()
    tasks.add_task(send_welcome, form["email"])  # expect: LW201
    tasks.add_task(add_to_crm, form["email"])  # expect: LW201
    return JSONResponse({"ok": True}, background=tasks)
