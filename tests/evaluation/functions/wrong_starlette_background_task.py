"""Take a payment and e-mail the receipt as a Starlette background task."""

import os

import httpx
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def send_receipt(email, order_id):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post(
            "/mail/receipt", params={"delay": "0.6"}, json={"to": email, "order": order_id}
        )


@lastword.http
async def pay(request):
    payment = await request.json()
    order_id = payment.get("order", "unknown")
    receipt = BackgroundTask(send_receipt, payment.get("email", "buyer@example.com"), order_id)
    return JSONResponse({"paid": order_id}, background=receipt)
