import asyncio

import functions_framework.aio
import httpx
from starlette.responses import JSONResponse


async def post_audit(client: httpx.AsyncClient, entry: dict) -> None:
    await client.post("https://audit.internal/entries", json=entry)


@functions_framework.aio.http
async def transfer(request):
    body = await request.json()
    async with httpx.AsyncClient() as client:
        resp = await client.post("https://ledger.internal/transfer", json=body)
        asyncio.create_task(post_audit(client, {"transfer": body, "status": resp.status_code}))  # expect: LW101
    return JSONResponse(resp.json(), status_code=resp.status_code)
