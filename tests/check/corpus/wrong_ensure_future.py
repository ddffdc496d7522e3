import asyncio

import lastword


async def notify(channel: str) -> None:
    ...


@lastword.http
async def deploy(request):
    asyncio.ensure_future(notify("#deploys"))  # expect: LW101
    return {"deployed": True}
