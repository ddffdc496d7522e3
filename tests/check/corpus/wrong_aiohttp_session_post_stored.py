import aiohttp
import functions_framework.aio


@functions_framework.aio.http
async def forward(request):
    payload = await request.json()
    async with aiohttp.ClientSession() as session:
        sent = session.post("https://hooks.example.com/in", json=payload)  # expect: LW401
        del payload
    return {"forwarded": True}
