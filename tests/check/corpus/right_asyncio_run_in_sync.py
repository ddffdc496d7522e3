import asyncio

import functions_framework


async def fetch_all(ids: list) -> list:
    return ids


@functions_framework.http
def gather_ids(request):
    ids = request.get_json()["ids"]
    results = asyncio.run(fetch_all(ids))
    return {"results": results}
