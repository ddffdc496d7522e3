import functions_framework.aio
from starlette.background import BackgroundTasks
from starlette.responses import JSONResponse


async def send_welcome_email(address: str) -> None:
    ...


def update_crm(address: str, plan: str) -> None:
    ...


@functions_framework.aio.http
async def register(request):
    form = await request.form()
    email = form["email"]
    tasks = BackgroundTasks()
    tasks.add_task(send_welcome_email, email)  # expect: LW201
    tasks.add_task(update_crm, email, form.get("plan", "free"))  # expect: LW201
    return JSONResponse({"registered": email}, background=tasks)
