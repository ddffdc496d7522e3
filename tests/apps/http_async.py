"""Async HTTP functions (Starlette requests), as functions-framework's --asgi mode serves them."""

import asyncio
import logging

from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse

logger = logging.getLogger("user")


async def hello(request):
    return "Hello, World!"


async def echo(request):
    body = await request.body()
    return {
        "method": request.method,
        "path": request.url.path,
        "raw_query": request.scope["query_string"].decode(),
        "headers": dict(request.headers),
        "body": body.decode(),
    }


async def json_echo(request):
    return await request.json()


async def kinds(request):
    kind = request.query_params["kind"]
    if kind == "str":
        return "text"
    if kind == "bytes":
        return b"raw"
    if kind == "dict":
        return {"a": 1}
    if kind == "tuple2":
        return {"created": True}, 201
    if kind == "response":
        return PlainTextResponse("plain", status_code=202)
    if kind == "json":
        return JSONResponse([1, 2])
    if kind == "stream":

        async def chunks():
            for i in range(3):
                await asyncio.sleep(0)
                yield f"part{i};"

        return StreamingResponse(chunks(), media_type="text/plain")
    raise AssertionError(kind)


async def returns_none(request):
    await asyncio.sleep(0)


async def crash(request):
    raise KeyError("secret")


async def logs(request):
    print("async printed")

    async def child():
        logger.warning("task line")

    await asyncio.create_task(child())
    return "ok"


async def body_size(request):
    return {"size": len(await request.body())}


async def streamed_size(request):
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return {"size": size}


async def http_exception(request):
    from starlette.exceptions import HTTPException

    raise HTTPException(status_code=400, detail="the field name is required")
