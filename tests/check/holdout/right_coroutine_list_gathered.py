import asyncio

import lastword


async def send_push(token: str, title: str) -> None:
    await asyncio.sleep(0.01)


@lastword.http
async def push_all(request):
    body = await request.json()
    coros = [send_push(token, body["title"]) for token in body["tokens"]]
    results = await asyncio.gather(*coros, return_exceptions=True)
    failures = sum(1 for r in results if isinstance(r, Exception))
    return {"sent": len(coros) - failures, "failed": failures}
