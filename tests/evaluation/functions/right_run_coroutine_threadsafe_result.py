"""Currency conversion from a sync function, using an async client on a background loop."""

import asyncio
import os
import threading

import functions_framework
import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")

# One event loop for the async clients, running for the life of the instance.
_loop = asyncio.new_event_loop()
threading.Thread(target=_loop.run_forever, name="async-clients", daemon=True).start()
_client = None


async def _fetch_rate(currency):
    global _client
    if _client is None:
        _client = httpx.AsyncClient(base_url=BACKEND, timeout=5)
    response = await _client.get(f"/rates/{currency}", params={"delay": "0.3"})
    return 1.0 if response.status_code == 200 else None


@functions_framework.http
def convert(request):
    currency = request.args.get("to", "EUR")
    amount = float(request.args.get("amount", "1"))
    future = asyncio.run_coroutine_threadsafe(_fetch_rate(currency), _loop)
    rate = future.result(timeout=10)
    if rate is None:
        return {"error": "no rate"}, 502
    return {"currency": currency, "amount": amount * rate}
