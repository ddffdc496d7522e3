"""Send a receipt e-mail from a sync function through an async client on a background loop."""

import asyncio
import os
import threading

import functions_framework
import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")

_loop = asyncio.new_event_loop()
threading.Thread(target=_loop.run_forever, name="async-clients", daemon=True).start()


async def _send_receipt(email, order_id):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post(
            "/mail/receipt", params={"delay": "0.8"}, json={"to": email, "order": order_id}
        )


@functions_framework.http
def confirm_order(request):
    order = request.get_json(silent=True) or {}
    email = order.get("email", "buyer@example.com")
    asyncio.run_coroutine_threadsafe(_send_receipt(email, order.get("id")), _loop)
    return {"confirmed": order.get("id")}
