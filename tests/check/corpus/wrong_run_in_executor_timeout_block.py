import asyncio

import functions_framework.aio


def ocr(data: bytes) -> str:
    ...


@functions_framework.aio.http
async def read_text(request):
    body = await request.body()
    loop = asyncio.get_running_loop()
    job = loop.run_in_executor(None, ocr, body)  # expect: LW103
    try:
        async with asyncio.timeout(8):
            text = await job
    except TimeoutError:
        return {"text": None, "error": "timeout"}
    return {"text": text}
