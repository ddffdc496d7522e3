import asyncio

import lastword


async def charge(order: dict) -> None:
    ...


async def email(order: dict) -> None:
    ...


@lastword.http
async def order(request):
    body = await request.json()
    charging = asyncio.create_task(charge(body))
    emailing = asyncio.create_task(email(body))  # expect: LW101
    await charging
    return {"ok": True}
