import asyncio

import lastword


async def warm(region: str) -> None:
    ...


@lastword.http()
async def warmup(request):
    asyncio.gather(warm("us"), warm("eu"))  # expect: LW101
    return "warming"
