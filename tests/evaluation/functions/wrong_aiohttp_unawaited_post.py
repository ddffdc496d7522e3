"""Report a client-side error to the error tracker, then acknowledge it."""

import os

import aiohttp
from starlette.responses import JSONResponse

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def report_error(request):
    report = await request.json()
    async with aiohttp.ClientSession(base_url=BACKEND) as session:
        session.post("/errors", params={"delay": "0.3"}, json=report)
    return JSONResponse({"reported": True}, status_code=202)
