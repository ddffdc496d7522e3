"""Fetch shipping quotes from every carrier and return the cheapest that answered."""

import asyncio
import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
CARRIERS = ("post", "courier", "freight")


async def _quote(client, carrier, weight):
    response = await client.get(f"/quote/{carrier}", params={"kg": weight, "delay": "0.2"})
    response.raise_for_status()
    return carrier, len(carrier) * float(weight)


async def cheapest_shipping(request):
    weight = request.query_params.get("kg", "1")
    async with httpx.AsyncClient(base_url=BACKEND, timeout=5) as client:
        tasks = [asyncio.create_task(_quote(client, c, weight)) for c in CARRIERS]
        done, _ = await asyncio.wait(tasks)
    quotes = [t.result() for t in done if t.exception() is None]
    if not quotes:
        return {"error": "no carrier answered"}, 502
    carrier, price = min(quotes, key=lambda q: q[1])
    return {"carrier": carrier, "price": price}
