import asyncio

import lastword


def warn_slow() -> None:
    ...


async def compute() -> int:
    return 1


@lastword.http
async def slow(request):
    handle = asyncio.get_running_loop().call_later(2, warn_slow)
    try:
        value = await compute()
    finally:
        handle.cancel()
    return {"value": value}
