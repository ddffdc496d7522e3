import asyncio

import lastword


async def charge(order: dict) -> None:
    ...


async def email(order: dict) -> None:
    ...


@lastword.http
async def order(request):
    body = await request.json()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(charge(body))
        tg.create_task(email(body))
    return {"ok": True}
