import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse

PENDING: dict[str, asyncio.Task] = {}


async def generate_report(report_id: str) -> None:
    await asyncio.sleep(5)


@functions_framework.aio.http
async def start_report(request):
    report_id = request.query_params["id"]
    PENDING[report_id] = asyncio.create_task(generate_report(report_id))  # expect: LW101
    return JSONResponse({"report": report_id, "status": "pending"}, status_code=202)
