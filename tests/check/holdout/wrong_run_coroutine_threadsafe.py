import asyncio
import threading

import functions_framework

_loop = asyncio.new_event_loop()
threading.Thread(target=_loop.run_forever, daemon=True).start()


async def push_to_websocket_hub(channel: str, message: str) -> None:
    await asyncio.sleep(0)


@functions_framework.http
def push(request):
    data = request.get_json()
    asyncio.run_coroutine_threadsafe(push_to_websocket_hub(data["channel"], data["message"]), _loop)  # expect: LW101
    return "pushed"
