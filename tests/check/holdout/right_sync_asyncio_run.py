import asyncio

import functions_framework
import httpx


async def gather_quotes(symbols: list[str]) -> dict:
    async with httpx.AsyncClient() as client:
        responses = await asyncio.gather(*(client.get(f"https://quotes.example/{s}") for s in symbols))
    return {s: r.json() for s, r in zip(symbols, responses, strict=False)}


@functions_framework.http
def quotes(request):
    symbols = request.args.get("symbols", "GOOG,MSFT").split(",")
    return asyncio.run(gather_quotes(symbols))
