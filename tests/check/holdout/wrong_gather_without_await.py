import asyncio

import httpx

import lastword

PARTNERS = ["https://a.example/notify", "https://b.example/notify", "https://c.example/notify"]


async def notify(client: httpx.AsyncClient, url: str, body: dict) -> None:
    await client.post(url, json=body)


@lastword.http
async def broadcast(request):
    body = await request.json()
    client = httpx.AsyncClient(timeout=10)
    asyncio.gather(*(notify(client, url, body) for url in PARTNERS))  # expect: LW101
    return {"partners": len(PARTNERS)}
