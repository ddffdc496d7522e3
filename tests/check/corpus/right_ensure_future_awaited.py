import asyncio

import lastword


async def notify(channel: str) -> None:
    ...


@lastword.http
async def deploy(request):
    fut = asyncio.ensure_future(notify("#deploys"))
    await asyncio.wait_for(fut, timeout=5)
    return {"deployed": True}
