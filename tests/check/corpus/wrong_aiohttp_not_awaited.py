import aiohttp
import lastword


@lastword.http
async def ping_webhook(request):
    async with aiohttp.ClientSession() as session:
        session.post("https://hooks.example.com/deploy", json={"ok": True})  # expect: LW401
    return "pinged"
