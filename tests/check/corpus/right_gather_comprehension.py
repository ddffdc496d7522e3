import asyncio

import lastword


async def fetch(url: str) -> int:
    return 200


@lastword.http
async def check(request):
    urls = (await request.json())["urls"]
    codes = await asyncio.gather(*(fetch(u) for u in urls))
    tasks = [asyncio.create_task(fetch(u)) for u in urls]
    done = await asyncio.gather(*tasks, return_exceptions=True)
    return {"codes": codes, "done": len(done)}
