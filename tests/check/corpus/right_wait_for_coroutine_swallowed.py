import asyncio

import functions_framework.aio
import httpx


async def fetch_rates(client: httpx.AsyncClient) -> dict:
    response = await client.get("https://rates.example.com/latest")
    return response.json()


@functions_framework.aio.http
async def rates(request):
    async with httpx.AsyncClient() as client:
        try:
            data = await asyncio.wait_for(fetch_rates(client), timeout=2)
        except asyncio.TimeoutError:
            data = {}
    return data
