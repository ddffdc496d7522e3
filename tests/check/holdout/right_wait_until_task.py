import asyncio

import lastword


async def send_confirmation(order_id: str) -> None:
    await asyncio.sleep(0.1)


@lastword.http
async def confirm(request):
    order_id = request.query_params["order"]
    task = asyncio.create_task(send_confirmation(order_id))
    lastword.wait_until(task)
    return {"confirmed": order_id}
