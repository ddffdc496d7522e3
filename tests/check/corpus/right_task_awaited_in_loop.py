import asyncio

import lastword


async def step(n: int) -> int:
    return n


@lastword.http
async def pipeline(request):
    total = 0
    for n in range(3):
        task = asyncio.create_task(step(n))
        total += await task
    return {"total": total}
