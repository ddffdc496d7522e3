"""Background function: deliver each message to the customer's webhook, retrying once."""

import base64
import json
import os
import threading

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


def _deliver(message):
    response = httpx.post(
        f"{BACKEND}/customer/webhook",
        params={"status": message.get("simulate_status", "200"), "delay": "0.1"},
        json=message,
        timeout=5,
    )
    response.raise_for_status()


def _retry(message):
    try:
        _deliver({**message, "simulate_status": "200"})
    except httpx.HTTPError as exc:
        print(f"webhook delivery failed twice: {exc}")


def deliver(data, context):
    message = json.loads(base64.b64decode(data["data"]))
    try:
        _deliver(message)
    except httpx.HTTPError:
        threading.Timer(1.0, _retry, args=(message,)).start()
