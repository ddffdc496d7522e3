"""``segment.analytics.Client`` and its ``Consumer`` thread (stand-in; uploads are simulated)."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from typing import Any

_LOGGER = logging.getLogger("segment")
UPLOADED: list[dict[str, Any]] = []


class Consumer(threading.Thread):
    """Takes messages off the queue in batches and uploads each batch."""

    def __init__(
        self, q: queue.Queue[dict[str, Any]], upload_size: int, upload_interval: float
    ) -> None:
        super().__init__(daemon=True)
        self.queue = q
        self.upload_size = upload_size
        self.upload_interval = upload_interval
        self.running = True

    def run(self) -> None:
        while self.running:
            self.upload()

    def pause(self) -> None:
        self.running = False

    def next_batch(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        started = time.monotonic()
        while len(items) < self.upload_size:
            elapsed = time.monotonic() - started
            if elapsed >= self.upload_interval:
                break
            try:
                items.append(self.queue.get(block=True, timeout=self.upload_interval - elapsed))
            except queue.Empty:
                break
        return items

    def upload(self) -> None:
        batch = self.next_batch()
        if not batch:
            return
        try:
            time.sleep(float(os.environ.get("FAKE_SEGMENT_UPLOAD_SECONDS", "0.3")))
            UPLOADED.extend(batch)
        finally:
            for _ in batch:
                self.queue.task_done()


class Client:
    def __init__(
        self,
        write_key: str | None = None,
        host: str | None = None,
        on_error: Any = None,
        debug: bool = False,
        send: bool = True,
        sync_mode: bool = False,
        upload_interval: float = 0.5,
        upload_size: int = 100,
        thread: int = 1,
        max_queue_size: int = 10000,
    ) -> None:
        self.write_key = write_key
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue(max_queue_size)
        self.send = send
        self.sync_mode = sync_mode
        self.consumers: list[Consumer] = []
        if not sync_mode and send:
            for _ in range(thread):
                consumer = Consumer(self.queue, upload_size, upload_interval)
                self.consumers.append(consumer)
                consumer.start()

    def track(
        self,
        user_id: str | None = None,
        event: str | None = None,
        properties: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[bool, dict[str, Any]]:
        return self._enqueue({"type": "track", "userId": user_id, "event": event,
                              "properties": properties or {}})

    def identify(
        self, user_id: str | None = None, traits: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[bool, dict[str, Any]]:
        return self._enqueue({"type": "identify", "userId": user_id, "traits": traits or {}})

    def _enqueue(self, msg: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        if not self.send:
            return True, msg
        if self.sync_mode:
            time.sleep(float(os.environ.get("FAKE_SEGMENT_UPLOAD_SECONDS", "0.3")))
            UPLOADED.append(msg)
            return True, msg
        try:
            self.queue.put(msg, block=False)
            return True, msg
        except queue.Full:
            _LOGGER.warning("analytics-python queue is full")
            return False, msg

    def flush(self) -> None:
        """Block until every queued message has been uploaded."""
        self.queue.join()

    def join(self) -> None:
        for consumer in self.consumers:
            consumer.pause()
            consumer.join()

    def shutdown(self) -> None:
        self.flush()
        self.join()
