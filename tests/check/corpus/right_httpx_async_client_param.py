import functions_framework.aio
import httpx

client = httpx.AsyncClient(timeout=5)


async def lookup(c: httpx.AsyncClient, sku: str) -> dict:
    response = await c.get(f"https://inventory.internal/{sku}")
    return response.json()


@functions_framework.aio.http
async def stock(request):
    return await lookup(client, request.query_params["sku"])
