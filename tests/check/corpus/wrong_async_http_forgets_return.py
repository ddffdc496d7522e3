import functions_framework.aio
from starlette.responses import JSONResponse


@functions_framework.aio.http
async def status(request):  # expect: LW302
    data = {"status": "green"}
    JSONResponse(data)
