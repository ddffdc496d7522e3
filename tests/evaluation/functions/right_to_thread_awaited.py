"""Upload an attachment with the (blocking) storage client from an async function."""

import asyncio
import uuid

import functions_framework.aio
from google.cloud import storage
from starlette.responses import JSONResponse

attachments = storage.Client().bucket("eval-attachments")


@functions_framework.aio.http
async def upload_attachment(request):
    data = await request.body()
    if not data:
        return JSONResponse({"error": "empty body"}, status_code=400)
    name = f"attachments/{uuid.uuid4().hex}"
    blob = attachments.blob(name)
    await asyncio.to_thread(blob.upload_from_string, data, "application/octet-stream")
    return JSONResponse({"stored": name}, status_code=201)
