import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse


async def load_recommendations(user: str) -> list:
    async with httpx.AsyncClient() as client:
        resp = await client.get(f"https://recs.internal/{user}")
        return resp.json()


async def load_profile(user: str) -> dict:
    await asyncio.sleep(0.01)
    return {"user": user}


@functions_framework.aio.http
async def home(request):
    user = request.query_params["user"]
    recs_task = asyncio.create_task(load_recommendations(user))
    profile = await load_profile(user)
    recs = await recs_task
    return JSONResponse({"profile": profile, "recommendations": recs})
