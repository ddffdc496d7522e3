import httpx
import lastword


@lastword.http
async def relay(request):
    body = await request.body()
    async with httpx.AsyncClient() as client:
        client.post("https://collector.example.com/ingest", content=body)  # expect: LW401
    return "relayed"
