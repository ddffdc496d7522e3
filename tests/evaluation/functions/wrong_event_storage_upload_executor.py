"""Background function: archive every message to Cloud Storage, uploads run on a pool."""

import base64
import logging
from concurrent.futures import ThreadPoolExecutor

from google.cloud import storage

logger = logging.getLogger("archive")
bucket = storage.Client().bucket("eval-archive")
_uploads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="archive")


def _log_upload(future):
    if future.exception() is not None:
        logger.error("archive upload failed", exc_info=future.exception())


def archive_event(data, context):
    payload = base64.b64decode(data.get("data", ""))
    blob = bucket.blob(f"archive/{context.timestamp}-{context.event_id}.bin")
    future = _uploads.submit(blob.upload_from_string, payload, "application/octet-stream")
    future.add_done_callback(_log_upload)
