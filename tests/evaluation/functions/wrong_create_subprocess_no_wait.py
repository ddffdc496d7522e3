"""Kick off a video transcode with the command-line encoder."""

import asyncio
import sys

from starlette.responses import JSONResponse

ENCODER = "import sys, time; time.sleep(0.9); print('encoded', sys.argv[1])"


async def transcode(request):
    job = await request.json()
    source = job.get("video", "in.mp4")
    await asyncio.create_subprocess_exec(
        sys.executable, "-c", ENCODER, source, stdout=asyncio.subprocess.DEVNULL
    )
    return JSONResponse({"transcoding": source}, status_code=202)
