"""Notify every channel about a deploy; whatever has not answered in 300 ms is skipped."""

import asyncio
import base64
import json
import os

import httpx

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.AsyncClient(base_url=BACKEND, timeout=10)


async def _notify(channel, deploy):
    delay = "0.9" if channel == "email" else "0.1"
    await client.post(f"/notify/{channel}", params={"delay": delay}, json=deploy)
    return channel


@lastword.cloud_event
async def announce_deploy(cloud_event):
    deploy = json.loads(base64.b64decode(cloud_event.data["message"]["data"]))
    tasks = [asyncio.create_task(_notify(c, deploy)) for c in ("chat", "email", "status-page")]
    done, pending = await asyncio.wait(tasks, timeout=0.3)
    print(f"deploy {deploy.get('version')}: {len(done)} notified, {len(pending)} slow")
