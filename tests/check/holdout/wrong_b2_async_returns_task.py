import asyncio

import lastword


async def process(body: dict) -> dict:
    await asyncio.sleep(1)
    return {"processed": True}


@lastword.http
async def submit(request):
    body = await request.json()
    return asyncio.create_task(process(body))  # expect: LW301
