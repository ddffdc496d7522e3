import asyncio

import lastword


async def send_metrics(name: str) -> None:
    ...


@lastword.http
async def checkout(request):
    lastword.wait_until(asyncio.create_task(send_metrics("checkout")))
    return {"ok": True}
