import asyncio

import lastword


async def call_fraud_service(payment: dict) -> bool:
    await asyncio.sleep(0.05)
    return payment.get("amount", 0) < 10_000


@lastword.http
async def authorize(request):
    payment = await request.json()
    check = asyncio.ensure_future(call_fraud_service(payment))
    try:
        ok = await asyncio.wait_for(check, timeout=2.0)
    except asyncio.TimeoutError:
        return {"authorized": False, "reason": "fraud check timed out"}
    return {"authorized": ok}
