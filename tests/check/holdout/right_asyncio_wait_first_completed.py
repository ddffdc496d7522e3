import asyncio

import httpx

import lastword

REGIONS = ["https://us.api.example", "https://eu.api.example", "https://asia.api.example"]


async def fetch(client: httpx.AsyncClient, base: str, path: str) -> bytes:
    resp = await client.get(f"{base}/{path}")
    return resp.content


@lastword.http
async def fastest(request):
    path = request.query_params["path"]
    async with httpx.AsyncClient() as client:
        tasks = {asyncio.create_task(fetch(client, base, path)) for base in REGIONS}
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        first = done.pop()
    return {"size": len(first.result())}
