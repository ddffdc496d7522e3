import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse

SERVICES = {
    "users": "https://users.internal/health",
    "orders": "https://orders.internal/health",
    "billing": "https://billing.internal/health",
}


@functions_framework.aio.http
async def status(request):
    async with httpx.AsyncClient(timeout=3) as client:
        responses = await asyncio.gather(
            *(client.get(url) for url in SERVICES.values()), return_exceptions=True
        )
    report = {}
    for name, resp in zip(SERVICES, responses, strict=False):
        report[name] = "down" if isinstance(resp, Exception) else resp.status_code
    return JSONResponse(report)
