import asyncio

import aiohttp
import functions_framework.aio
from starlette.responses import JSONResponse


async def geocode(session: aiohttp.ClientSession, address: str) -> dict:
    async with session.get("https://geo.example/v1", params={"q": address}) as resp:
        return await resp.json()


@functions_framework.aio.http
async def geocode_batch(request):
    addresses = (await request.json())["addresses"]
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.ensure_future(geocode(session, a)) for a in addresses]
        results = await asyncio.gather(*tasks, return_exceptions=True)
    return JSONResponse([r if not isinstance(r, Exception) else None for r in results])
