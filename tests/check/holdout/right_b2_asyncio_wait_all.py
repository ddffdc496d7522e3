import asyncio

import lastword


async def refresh(key: str) -> None:
    await asyncio.sleep(0.01)


@lastword.http
async def refresh_keys(request):
    keys = (await request.json())["keys"]
    tasks = [asyncio.create_task(refresh(k)) for k in keys]
    done, _ = await asyncio.wait(tasks)
    errors = [t.exception() for t in done if t.exception()]
    return {"refreshed": len(done) - len(errors)}
