"""Upload an avatar image; the upload runs in the default executor."""

import asyncio
import functools
import uuid

import functions_framework.aio
from google.cloud import storage
from starlette.responses import JSONResponse

avatars = storage.Client().bucket("eval-avatars")


@functions_framework.aio.http
async def upload_avatar(request):
    image = await request.body()
    name = f"avatars/{uuid.uuid4().hex}.png"
    upload = functools.partial(avatars.blob(name).upload_from_string, image, "image/png")
    asyncio.get_running_loop().run_in_executor(None, upload)
    return JSONResponse({"avatar": name}, status_code=202)
