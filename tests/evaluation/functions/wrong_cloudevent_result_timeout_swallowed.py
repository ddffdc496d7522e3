"""Resize an uploaded image; give up waiting after 200 ms so the event is not retried."""

import concurrent.futures
import logging
import time

import functions_framework
from google.cloud import storage

logger = logging.getLogger("resize")
client = storage.Client()
_resizer = concurrent.futures.ThreadPoolExecutor(max_workers=2)


def _resize(bucket, name):
    time.sleep(0.5)  # decode, scale, encode
    client.bucket(bucket).blob(f"small/{name}").upload_from_string(b"...", "image/jpeg")


@functions_framework.cloud_event
def resize_image(cloud_event):
    data = cloud_event.data
    future = _resizer.submit(_resize, data["bucket"], data["name"])
    try:
        future.result(timeout=0.2)
    except concurrent.futures.TimeoutError:
        logger.warning("resize of %s is slow; not waiting for it", data["name"])
