"""Word count of the posted text, computed by an external tool."""

import asyncio
import sys

from starlette.responses import JSONResponse

import lastword

COUNTER = "import sys, time; time.sleep(0.2); print(len(sys.stdin.read().split()))"


@lastword.http
async def word_count(request):
    text = await request.body()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        COUNTER,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(text), timeout=10)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        return JSONResponse({"error": "the counter took too long"}, status_code=504)
    return {"words": int(out)}
