"""Background function: forward each message to the reporting service over HTTP."""

import base64
import os

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")
client = httpx.Client(base_url=BACKEND, timeout=10)


def forward(data, context):
    payload = base64.b64decode(data["data"])
    response = client.post(
        "/reporting/events",
        params={"delay": "0.2"},
        content=payload,
        headers={"X-Event-Id": context.event_id},
    )
    response.raise_for_status()
