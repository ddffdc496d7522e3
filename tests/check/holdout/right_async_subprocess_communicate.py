import asyncio

import functions_framework.aio
from starlette.responses import PlainTextResponse


@functions_framework.aio.http
async def convert_markdown(request):
    text = await request.body()
    proc = await asyncio.create_subprocess_exec(
        "pandoc", "-f", "markdown", "-t", "html",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    html, _ = await proc.communicate(text)
    return PlainTextResponse(html.decode(), media_type="text/html")
