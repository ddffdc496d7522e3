"""Search with a deadline: a slow search is abandoned and the caller gets 504."""

import asyncio
import os

import httpx
from starlette.responses import JSONResponse

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def _search(query):
    delay = "1.5" if query == "slow" else "0.1"
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        response = await client.get("/search", params={"q": query, "delay": delay})
    return [query] if response.status_code == 200 else []


@lastword.http
async def search(request):
    query = request.query_params.get("q", "")
    try:
        results = await asyncio.wait_for(_search(query), timeout=0.5)
    except asyncio.TimeoutError:
        return JSONResponse({"error": "search timed out"}, status_code=504)
    return {"query": query, "results": results}
