"""Post a comment; spam scoring and the author's notification run in the background."""

import os
import uuid

import functions_framework.aio
import httpx
from helpers import background
from starlette.responses import JSONResponse

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


async def _score_and_notify(comment):
    async with httpx.AsyncClient(base_url=BACKEND, timeout=10) as client:
        await client.post("/spam/score", params={"delay": "0.4"}, json=comment)
        await client.post("/notify/author", params={"delay": "0.3"}, json=comment)


def _after_comment(comment):
    background.spawn(_score_and_notify(comment))


@functions_framework.aio.http
async def post_comment(request):
    comment = await request.json()
    comment["id"] = uuid.uuid4().hex
    _after_comment(comment)
    return JSONResponse(comment, status_code=201)
