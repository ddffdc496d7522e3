import asyncio
import logging

import functions_framework.aio
from starlette.responses import JSONResponse


async def heartbeat(job_id: str) -> None:
    while True:
        logging.info("job %s still running", job_id)
        await asyncio.sleep(5)


async def run_job(job_id: str) -> dict:
    await asyncio.sleep(1)
    return {"job": job_id, "status": "done"}


@functions_framework.aio.http
async def job(request):
    job_id = request.query_params["id"]
    beat = asyncio.create_task(heartbeat(job_id))
    try:
        result = await run_job(job_id)
    finally:
        beat.cancel()
    return JSONResponse(result)
