import aiohttp

import lastword

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"


@lastword.http
async def notify_slack(request):
    body = await request.json()
    async with (
        aiohttp.ClientSession() as session,
        session.post(SLACK_URL, json={"text": body["text"]}) as resp,
    ):
        ok = resp.status == 200
        detail = await resp.text()
    return {"ok": ok, "detail": detail}
