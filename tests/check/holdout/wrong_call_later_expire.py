import asyncio
import secrets

import functions_framework.aio
from starlette.responses import JSONResponse

SESSIONS: dict[str, dict] = {}


@functions_framework.aio.http
async def login(request):
    creds = await request.json()
    token = secrets.token_urlsafe(16)
    SESSIONS[token] = {"user": creds["user"]}
    loop = asyncio.get_running_loop()
    loop.call_later(3600, SESSIONS.pop, token, None)  # expect: LW102
    return JSONResponse({"token": token})
