"""Like a post; the audit record is written with lastword.wait_until."""

import asyncio
import json
import time

from google.cloud import storage

import lastword

audit = storage.Client().bucket("eval-audit")


async def _write_audit(entry):
    blob = audit.blob(f"likes/{entry['at']:.6f}.json")
    await asyncio.to_thread(blob.upload_from_string, json.dumps(entry))


@lastword.http
async def like(request):
    body = await request.json()
    entry = {"user": body.get("user"), "post": body.get("post"), "at": time.time()}
    lastword.wait_until(_write_audit(entry))
    return {"liked": body.get("post")}
