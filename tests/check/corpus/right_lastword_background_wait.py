import asyncio
import threading

import lastword


async def send_metrics(name: str) -> None:
    ...


def upload(data: bytes) -> None:
    ...


@lastword.http(background="wait")
async def checkout(request):
    # lastword waits for this work before it sends the response.
    asyncio.create_task(send_metrics("checkout"))
    threading.Thread(target=upload, args=(b"x",)).start()
    return {"ok": True}
