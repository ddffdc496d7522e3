import asyncio

import lastword


async def send_metrics(name: str) -> None:
    ...


async def audit(user: str) -> None:
    ...


@lastword.http(background="cancel")
async def checkout(request):
    asyncio.create_task(send_metrics("checkout"))  # expect: LW101
    return {"ok": True}


@lastword.http(background="wait")
async def login(request):
    audit("someone")  # expect: LW401
    return {"ok": True}
