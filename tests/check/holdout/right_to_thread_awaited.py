import asyncio

from google.cloud import storage

import lastword

client = storage.Client()


def read_blob(bucket: str, name: str) -> bytes:
    return client.bucket(bucket).blob(name).download_as_bytes()


@lastword.http
async def get_file(request):
    name = request.query_params["name"]
    data = await asyncio.to_thread(read_blob, "assets", name)
    return {"size": len(data)}
