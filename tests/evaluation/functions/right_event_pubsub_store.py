"""Background function: store each Pub/Sub message as an object, named by its event id."""

import base64

from google.cloud import storage

bucket = storage.Client().bucket("eval-inbox")


def store_message(data, context):
    payload = base64.b64decode(data.get("data", ""))
    attributes = data.get("attributes") or {}
    blob = bucket.blob(f"messages/{context.event_id}.bin")
    blob.metadata = attributes
    blob.upload_from_string(payload, content_type="application/octet-stream")
    print(f"stored {len(payload)} bytes from event {context.event_id}")
