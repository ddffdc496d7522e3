"""Stand-in for ``google.cloud.pubsub_v1.publisher.client.Client`` (batching and threads).

The Publish RPC is simulated: it takes ``FAKE_PUBSUB_RPC_SECONDS`` (default 0.5 s) and assigns
sequential message ids. Published messages are kept in ``Client.committed`` (per client) and in
the module-level ``COMMITTED`` list, in commit order.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from typing import Any

from google.cloud.pubsub_v1 import types
from google.cloud.pubsub_v1.publisher.futures import Future

_LOGGER = logging.getLogger("google.cloud.pubsub_v1.publisher")
_MESSAGE_IDS = itertools.count(1_000_001)
COMMITTED: list[tuple[str, types.PubsubMessage, str]] = []


def _rpc_seconds() -> float:
    return float(os.environ.get("FAKE_PUBSUB_RPC_SECONDS", "0.5"))


class _Batch:
    """Messages for one topic waiting to be sent together."""

    def __init__(self, client: Client, topic: str, settings: types.BatchSettings) -> None:
        self._client = client
        self._topic = topic
        self._settings = settings
        self._messages: list[types.PubsubMessage] = []
        self._futures: list[Future] = []
        self._size = 0
        self._committing = False

    def will_accept(self, message: types.PubsubMessage) -> bool:
        if self._committing:
            return False
        if len(self._messages) >= self._settings.max_messages:
            return False
        return self._size + len(message.data) <= self._settings.max_bytes

    def publish(self, message: types.PubsubMessage) -> Future:
        future = Future()
        self._messages.append(message)
        self._futures.append(future)
        self._size += len(message.data)
        return future

    def commit(self) -> None:
        """Send the batch in a thread of its own, as the real ``thread.Batch.commit`` does."""
        if self._committing:
            return
        self._committing = True
        threading.Thread(
            name="Thread-CommitBatchPublisher", target=self._commit, daemon=True
        ).start()

    def _commit(self) -> None:
        time.sleep(_rpc_seconds())  # the Publish RPC
        ids = [str(next(_MESSAGE_IDS)) for _ in self._messages]
        for message, message_id in zip(self._messages, ids, strict=True):
            self._client.committed.append((self._topic, message, message_id))
            COMMITTED.append((self._topic, message, message_id))
        _LOGGER.debug("published %d message(s) to %s", len(ids), self._topic)
        for future, message_id in zip(self._futures, ids, strict=True):
            future.set_result(message_id)


class Client:
    """``pubsub_v1.PublisherClient``."""

    def __init__(
        self,
        batch_settings: types.BatchSettings | tuple[Any, ...] = (),
        publisher_options: tuple[Any, ...] = (),
        **kwargs: Any,
    ) -> None:
        self.batch_settings = types.BatchSettings(*batch_settings)
        self.committed: list[tuple[str, types.PubsubMessage, str]] = []
        self._lock = threading.Lock()
        self._batches: dict[str, _Batch] = {}
        self._commit_thread: threading.Thread | None = None
        self._stopped = False

    @staticmethod
    def topic_path(project: str, topic: str) -> str:
        return f"projects/{project}/topics/{topic}"

    def publish(
        self, topic: str, data: bytes, ordering_key: str = "", **attrs: str
    ) -> Future:
        if not isinstance(data, bytes):
            raise TypeError("Data being published to Pub/Sub must be sent as a bytestring.")
        if self._stopped:
            raise RuntimeError("Cannot publish on a stopped publisher.")
        message = types.PubsubMessage(data, dict(attrs), ordering_key)
        with self._lock:
            batch = self._batches.get(topic)
            if batch is None or not batch.will_accept(message):
                if batch is not None:
                    batch.commit()
                batch = _Batch(self, topic, self.batch_settings)
                self._batches[topic] = batch
            future = batch.publish(message)
            self._ensure_commit_timer_runs()
        return future

    def _ensure_commit_timer_runs(self) -> None:
        if self._commit_thread is None:
            self._commit_thread = threading.Thread(
                name="Thread-PubSubBatchCommitter",
                target=self._wait_and_commit,
                daemon=True,
            )
            self._commit_thread.start()

    def _wait_and_commit(self) -> None:
        time.sleep(self.batch_settings.max_latency)
        with self._lock:
            self._commit_thread = None
            self._commit_all()

    def _commit_all(self) -> None:
        batches, self._batches = list(self._batches.values()), {}
        for batch in batches:
            batch.commit()

    def stop(self) -> None:
        """Commit what is pending and refuse further publishes (does not wait for the RPCs)."""
        with self._lock:
            self._stopped = True
            self._commit_all()

    def resume_publish(self, topic: str, ordering_key: str) -> None:
        pass
