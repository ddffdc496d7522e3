"""Audit trail: every change is written to the audit bucket, off the caller's path."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

from google.cloud import storage

_bucket = storage.Client().bucket("eval-audit")
_writer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="audit")


def _write(entry: dict) -> None:
    name = f"audit/{entry['at']:.6f}-{entry['action']}.json"
    _bucket.blob(name).upload_from_string(json.dumps(entry), content_type="application/json")


def _submit(entry: dict) -> None:
    _writer.submit(_write, entry)


def record(action: str, **details: object) -> None:
    _submit({"action": action, "at": time.time(), **details})
