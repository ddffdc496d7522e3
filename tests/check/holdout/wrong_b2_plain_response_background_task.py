import functions_framework.aio
from starlette.background import BackgroundTask
from starlette.responses import PlainTextResponse


def purge_tmp(prefix: str) -> None:
    ...


@functions_framework.aio.http
async def finish_upload(request):
    prefix = request.query_params["prefix"]
    return PlainTextResponse("done", background=BackgroundTask(purge_tmp, prefix))  # expect: LW201
