"""Stand-in for ``opentelemetry.sdk.trace.export``: exporters and the batch span processor.

``BatchSpanProcessor`` behaves like the SDK's: its constructor starts a daemon worker thread that
waits on a condition (timed by ``schedule_delay_millis``) and exports spans in batches when the
schedule fires, when ``max_export_batch_size`` spans are queued, or when ``force_flush`` asks it
to. ``force_flush(timeout_millis)`` waits at most that long and returns False if the export did not
finish in time (the export goes on in the worker).
"""

from __future__ import annotations

import collections
import enum
import json
import logging
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

_LOGGER = logging.getLogger("opentelemetry.sdk.trace.export")


class SpanExportResult(enum.Enum):
    SUCCESS = 0
    FAILURE = 1


class SpanExporter:
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        raise NotImplementedError

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class ConsoleSpanExporter(SpanExporter):
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        for span in spans:
            sys.stdout.write(json.dumps({"name": span.name, "attributes": span.attributes}) + "\n")
        sys.stdout.flush()
        return SpanExportResult.SUCCESS


class SimpleSpanProcessor:
    """Exports each span synchronously in ``on_end``."""

    def __init__(self, span_exporter: SpanExporter) -> None:
        self.span_exporter = span_exporter

    def on_end(self, span: Any) -> None:
        self.span_exporter.export((span,))

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True

    def shutdown(self) -> None:
        self.span_exporter.shutdown()


class _FlushRequest:
    def __init__(self) -> None:
        self.event = threading.Event()


class BatchSpanProcessor:
    def __init__(
        self,
        span_exporter: SpanExporter,
        max_queue_size: int = 2048,
        schedule_delay_millis: float = 5000,
        max_export_batch_size: int = 512,
        export_timeout_millis: float = 30000,
    ) -> None:
        self.span_exporter = span_exporter
        self._queue: collections.deque[Any] = collections.deque(maxlen=max_queue_size)
        self._schedule_delay = schedule_delay_millis / 1e3
        self._batch_size = max_export_batch_size
        self._export_timeout_millis = export_timeout_millis
        self._condition = threading.Condition(threading.Lock())
        self._flush_request: _FlushRequest | None = None
        self._done = False
        self._worker = threading.Thread(
            name="OtelBatchSpanProcessor", target=self._work, daemon=True
        )
        self._worker.start()

    def on_start(self, span: Any, parent_context: Any = None) -> None:
        pass

    def on_end(self, span: Any) -> None:
        if self._done:
            _LOGGER.warning("Already shutdown, dropping span.")
            return
        self._queue.appendleft(span)
        if len(self._queue) >= self._batch_size:
            with self._condition:
                self._condition.notify()

    def _work(self) -> None:
        timeout = self._schedule_delay
        while True:
            with self._condition:
                if self._done:
                    break
                if len(self._queue) < self._batch_size and self._flush_request is None:
                    self._condition.wait(timeout)
                flush, self._flush_request = self._flush_request, None
                if self._done:
                    if flush is not None:
                        self._flush_request = flush
                    break
            started = time.monotonic()
            self._export(everything=flush is not None)
            if flush is not None:
                flush.event.set()
            timeout = max(self._schedule_delay - (time.monotonic() - started), 0.0)
            if timeout == 0.0:
                timeout = self._schedule_delay
        self._export(everything=True)
        if self._flush_request is not None:
            self._flush_request.event.set()

    def _export(self, everything: bool) -> None:
        while self._queue:
            batch = []
            while self._queue and len(batch) < self._batch_size:
                batch.append(self._queue.pop())
            try:
                self.span_exporter.export(batch)
            except Exception:
                _LOGGER.exception("Exception while exporting Span batch.")
            if not everything:
                return

    def force_flush(self, timeout_millis: float | None = None) -> bool:
        if timeout_millis is None:
            timeout_millis = self._export_timeout_millis
        if self._done:
            return False
        with self._condition:
            if self._flush_request is None:
                self._flush_request = _FlushRequest()
            request = self._flush_request
            self._condition.notify_all()
        finished = request.event.wait(timeout_millis / 1e3)
        if not finished:
            _LOGGER.warning("Timeout was exceeded in force_flush().")
        return finished

    def shutdown(self) -> None:
        with self._condition:
            self._done = True
            self._condition.notify_all()
        self._worker.join()
        self.span_exporter.shutdown()
