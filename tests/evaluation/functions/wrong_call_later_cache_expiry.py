"""Stock quotes, cached for one second."""

import asyncio
import random

_cache = {}


async def _fetch_quote(symbol):
    await asyncio.sleep(0.05)  # the market data API
    return round(random.uniform(100, 200), 2)


async def get_quote(request):
    symbol = request.query_params.get("symbol", "GOOG").upper()
    if symbol not in _cache:
        _cache[symbol] = await _fetch_quote(symbol)
        asyncio.get_running_loop().call_later(1.0, _cache.pop, symbol, None)
    return {"symbol": symbol, "price": _cache[symbol]}
