import asyncio

import aiohttp
import functions_framework


async def fetch_all(urls: list[str]) -> list[int]:
    async with aiohttp.ClientSession() as session:
        async def one(url: str) -> int:
            async with session.get(url) as resp:
                return resp.status

        tasks = [asyncio.create_task(one(u)) for u in urls]
        return await asyncio.gather(*tasks)


@functions_framework.http
def statuses(request):
    urls = request.get_json()["urls"]
    codes = asyncio.run(fetch_all(urls))
    return {"codes": codes}
