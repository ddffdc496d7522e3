import asyncio

import lastword


@lastword.http
async def sync_bucket(request):
    prefix = request.query_params.get("prefix", "")
    proc = await asyncio.create_subprocess_exec(  # expect: LW105
        "gsutil", "-m", "rsync", "-r", f"gs://source/{prefix}", f"gs://mirror/{prefix}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return {"started": proc.pid}
