import asyncio

import functions_framework.aio


def call_legacy_soap(order_id: str) -> None:
    ...


@functions_framework.aio.http
async def sync_order(request):
    order_id = request.query_params["id"]
    try:
        await asyncio.wait_for(asyncio.to_thread(call_legacy_soap, order_id), timeout=3)  # expect: LW104
    except asyncio.TimeoutError:
        return {"synced": False}
    return {"synced": True}
