import asyncio

import functions_framework.aio
from starlette.responses import JSONResponse


class Notifier:
    def __init__(self, webhook: str) -> None:
        self.webhook = webhook

    async def _post(self, text: str) -> None:
        ...

    def notify(self, text: str) -> None:
        asyncio.get_running_loop().create_task(self._post(text))  # expect: LW101


notifier = Notifier("https://hooks.example.com/x")


@functions_framework.aio.http
async def alert(request):
    body = await request.json()
    notifier.notify(body["message"])
    return JSONResponse({"ok": True})
