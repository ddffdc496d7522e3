"""Stand-in for google-cloud-storage: ``Client().bucket(name).blob(name)``.

As in the real library, uploads and downloads are synchronous: ``upload_from_string`` returns
when the object is stored (a simulated request of ``FAKE_GCS_UPLOAD_SECONDS``, default 0.3 s).
Objects live in the module-level ``OBJECTS`` dict, keyed by ``(bucket, name)``.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

OBJECTS: dict[tuple[str, str], tuple[bytes, str]] = {}
_LOCK = threading.Lock()


class NotFound(Exception):
    """``google.api_core.exceptions.NotFound``."""


def _upload_seconds() -> float:
    return float(os.environ.get("FAKE_GCS_UPLOAD_SECONDS", "0.3"))


class Blob:
    def __init__(self, name: str, bucket: Bucket) -> None:
        self.name = name
        self.bucket = bucket
        self.content_type: str | None = None
        self.metadata: dict[str, str] | None = None

    def upload_from_string(
        self, data: bytes | str, content_type: str = "text/plain", timeout: float = 60
    ) -> None:
        payload = data.encode() if isinstance(data, str) else data
        time.sleep(_upload_seconds())
        with _LOCK:
            OBJECTS[(self.bucket.name, self.name)] = (payload, content_type)
        self.content_type = content_type

    def upload_from_filename(self, filename: str, content_type: str | None = None) -> None:
        with open(filename, "rb") as f:
            self.upload_from_string(f.read(), content_type or "application/octet-stream")

    def download_as_bytes(self, timeout: float = 60) -> bytes:
        time.sleep(_upload_seconds() / 3)
        with _LOCK:
            try:
                return OBJECTS[(self.bucket.name, self.name)][0]
            except KeyError:
                raise NotFound(f"gs://{self.bucket.name}/{self.name}") from None

    def exists(self) -> bool:
        with _LOCK:
            return (self.bucket.name, self.name) in OBJECTS

    @property
    def public_url(self) -> str:
        return f"https://storage.googleapis.com/{self.bucket.name}/{self.name}"


class Bucket:
    def __init__(self, client: Client, name: str) -> None:
        self.client = client
        self.name = name

    def blob(self, blob_name: str) -> Blob:
        return Blob(blob_name, self)


class Client:
    def __init__(self, project: str | None = None, **kwargs: Any) -> None:
        self.project = project or "eval-project"

    def bucket(self, bucket_name: str) -> Bucket:
        return Bucket(self, bucket_name)
