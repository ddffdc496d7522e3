import asyncio

import lastword


async def invalidate_cdn(paths: list[str]) -> None:
    await asyncio.sleep(0.2)


@lastword.http
async def purge(request):
    paths = (await request.json())["paths"]
    asyncio.get_event_loop().create_task(invalidate_cdn(paths))  # expect: LW101
    return {"purging": paths}
