import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse


async def refresh_rates_cache() -> None:
    await asyncio.sleep(0.2)


@functions_framework.aio.http
async def quote(request):
    refresher = asyncio.create_task(refresh_rates_cache())  # expect: LW101
    try:
        async with httpx.AsyncClient() as client:
            resp = await client.get("https://rates.example/api/latest")
            resp.raise_for_status()
    except httpx.HTTPError:
        return JSONResponse({"error": "upstream unavailable"}, status_code=502)
    await refresher
    return JSONResponse(resp.json())
