import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import lastword

io_pool = ThreadPoolExecutor(max_workers=4)


def write_parquet(rows: list) -> str:
    return "/tmp/out.parquet"


@lastword.http
async def export(request):
    rows = (await request.json())["rows"]
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(io_pool, write_parquet, rows)  # expect: LW103
    fut.add_done_callback(lambda f: logging.info("wrote %s", f.result()))
    return {"rows": len(rows)}
