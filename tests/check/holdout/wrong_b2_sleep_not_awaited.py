import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse


@functions_framework.aio.http
async def poll_status(request):
    job = request.query_params["job"]
    async with httpx.AsyncClient() as client:
        for _ in range(5):
            resp = await client.get(f"https://jobs.internal/{job}")
            if resp.json()["done"]:
                return JSONResponse(resp.json())
            asyncio.sleep(1)  # expect: LW401
    return JSONResponse({"job": job, "done": False})
