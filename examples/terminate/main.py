"""The Python twin of the platform's "terminate" sample: one OK function and the two WRONG ones.

    lastword serve examples/terminate/main.py --target ok
    lastword serve examples/terminate/main.py --target wrong_returns_awaitable
    lastword serve examples/terminate/main.py --target wrong_work_after_response

README.md beside this file shows what lastword prints for each.
"""

import asyncio
import logging

logger = logging.getLogger("terminate")


async def send_metrics(name: str) -> None:
    """Some background work: a call to another service that takes a moment."""
    await asyncio.sleep(0.2)
    logger.warning("metrics for %s sent", name)


# OK: await the background work, then send the response.
async def ok(request):
    await send_metrics("ok")
    return "OK: the work finished before the response.\n"


# WRONG: return an unfinished awaitable instead of sending a response.
def wrong_returns_awaitable(request):
    return send_metrics("wrong_returns_awaitable")


# WRONG: leave work running after the response has been sent — "this may not execute".
async def wrong_work_after_response(request):
    asyncio.create_task(send_metrics("wrong_work_after_response"))
    return "Sent; the metrics are still on their way.\n"
