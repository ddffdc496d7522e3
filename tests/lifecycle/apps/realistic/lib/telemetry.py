"""Like opentelemetry's BatchSpanProcessor: its constructor starts a daemon thread that waits on a
condition (with a timeout, the schedule delay) for spans to export, for the life of the process."""

import collections
import threading

EXPORTED: list[str] = []


class BatchSpanProcessor:
    def __init__(self, schedule_delay: float = 5.0) -> None:
        self.queue: collections.deque[str] = collections.deque()
        self.condition = threading.Condition(threading.Lock())
        self.schedule_delay = schedule_delay
        self.worker_thread = threading.Thread(name="OtelBatchSpanProcessor", target=self.worker, daemon=True)
        self.worker_thread.start()

    def on_end(self, span: str) -> None:
        self.queue.appendleft(span)

    def worker(self) -> None:
        while True:
            with self.condition:
                if not self.queue:
                    self.condition.wait(self.schedule_delay)
            while self.queue:
                EXPORTED.append(self.queue.pop())
