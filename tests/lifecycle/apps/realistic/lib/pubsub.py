"""Like google.cloud.pubsub_v1.PublisherClient: publish() adds to a batch and returns a future; a
commit-timer thread started lazily at the first publish waits max_latency, then a commit thread
sends the batch and resolves the futures."""

import concurrent.futures
import threading
import time

SENT: list[str] = []


class _Batch:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.futures: list[concurrent.futures.Future] = []

    def commit(self) -> None:
        threading.Thread(name="Thread-CommitBatchPublisher", target=self._commit, daemon=True).start()

    def _commit(self) -> None:
        time.sleep(0.02)  # the RPC
        SENT.extend(self.messages)
        for number, future in enumerate(self.futures):
            future.set_result(str(number))


class PublisherClient:
    def __init__(self, max_latency: float = 0.05) -> None:
        self.max_latency = max_latency
        self._lock = threading.Lock()
        self._batch: _Batch | None = None
        self._commit_thread: threading.Thread | None = None

    def publish(self, topic: str, data: bytes) -> concurrent.futures.Future:
        with self._lock:
            if self._batch is None:
                self._batch = _Batch()
            future: concurrent.futures.Future = concurrent.futures.Future()
            self._batch.messages.append(data.decode())
            self._batch.futures.append(future)
            if self._commit_thread is None:
                self._commit_thread = threading.Thread(
                    name="Thread-PubSubBatchCommitter", target=self._wait_and_commit, daemon=True
                )
                self._commit_thread.start()
        return future

    def _wait_and_commit(self) -> None:
        time.sleep(self.max_latency)
        with self._lock:
            batch, self._batch, self._commit_thread = self._batch, None, None
        if batch is not None:
            batch.commit()
