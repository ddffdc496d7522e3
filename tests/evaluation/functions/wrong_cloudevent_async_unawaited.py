"""Deduplicate Pub/Sub deliveries: remember each processed message id."""

import asyncio
import base64
import json

import lastword

_seen = {}


async def _mark_processed(message_id):
    await asyncio.sleep(0.05)  # the key-value store
    _seen[message_id] = True


async def _handle(order):
    await asyncio.sleep(0.05)
    return order.get("id")


@lastword.cloud_event
async def handle_once(cloud_event):
    message = cloud_event.data["message"]
    message_id = message.get("messageId", cloud_event["id"])
    if message_id in _seen:
        return
    await _handle(json.loads(base64.b64decode(message["data"])))
    _mark_processed(message_id)
