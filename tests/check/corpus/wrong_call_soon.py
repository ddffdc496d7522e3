import asyncio

import lastword


def record_hit(path: str) -> None:
    ...


@lastword.http
async def hits(request):
    asyncio.get_event_loop().call_soon(record_hit, request.url.path)  # expect: LW102
    return "ok"
