import functions_framework.aio
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse


def heavy_parse(text: str) -> dict:
    return {"words": len(text.split())}


@functions_framework.aio.http
async def parse(request):
    text = (await request.body()).decode()
    result = await run_in_threadpool(heavy_parse, text)
    return JSONResponse(result)
