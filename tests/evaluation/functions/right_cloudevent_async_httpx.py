"""Mirror each Pub/Sub message to the partner's HTTP endpoint."""

import base64
import os

import httpx

import lastword

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.AsyncClient(base_url=BACKEND, timeout=10)


@lastword.cloud_event
async def mirror_to_partner(cloud_event):
    payload = base64.b64decode(cloud_event.data["message"]["data"])
    response = await client.post(
        "/partner/inbox",
        params={"delay": "0.3"},
        content=payload,
        headers={"ce-id": cloud_event["id"]},
    )
    response.raise_for_status()
