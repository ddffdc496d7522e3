"""Stand-in for ``opentelemetry.sdk.trace``: TracerProvider, Tracer and Span.

Ending a span hands it to every span processor's ``on_end`` (a ``BatchSpanProcessor`` queues it
for its worker thread). ``TracerProvider.force_flush`` asks each processor to export what it holds
and waits for that, up to ``timeout_millis``.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import time
from collections.abc import Iterator
from typing import Any

_LOGGER = logging.getLogger("opentelemetry.sdk.trace")
_IDS = itertools.count(1)
_CURRENT: contextvars.ContextVar[Span | None] = contextvars.ContextVar("current_span", default=None)


class Span:
    def __init__(self, name: str, tracer: Tracer, parent: Span | None) -> None:
        self.name = name
        self.span_id = next(_IDS)
        self.trace_id = parent.trace_id if parent is not None else self.span_id
        self.parent_id = parent.span_id if parent is not None else None
        self.attributes: dict[str, Any] = {}
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.start_time = time.time_ns()
        self.end_time: int | None = None
        self._tracer = tracer

    def set_attribute(self, key: str, value: Any) -> None:
        self.attributes[key] = value

    def set_attributes(self, attributes: dict[str, Any]) -> None:
        self.attributes.update(attributes)

    def add_event(self, name: str, attributes: dict[str, Any] | None = None) -> None:
        self.events.append((name, dict(attributes or {})))

    def record_exception(self, exception: BaseException) -> None:
        self.add_event("exception", {"exception.type": type(exception).__name__})

    def end(self) -> None:
        if self.end_time is not None:
            return
        self.end_time = time.time_ns()
        self._tracer._provider._on_end(self)


class Tracer:
    def __init__(self, provider: TracerProvider, name: str) -> None:
        self._provider = provider
        self.name = name

    def start_span(self, name: str, attributes: dict[str, Any] | None = None) -> Span:
        span = Span(name, self, _CURRENT.get())
        span.set_attributes(attributes or {})
        return span

    @contextlib.contextmanager
    def start_as_current_span(
        self, name: str, attributes: dict[str, Any] | None = None
    ) -> Iterator[Span]:
        span = self.start_span(name, attributes)
        token = _CURRENT.set(span)
        try:
            yield span
        except BaseException as exc:
            span.record_exception(exc)
            raise
        finally:
            _CURRENT.reset(token)
            span.end()


class TracerProvider:
    def __init__(self, resource: Any = None, **kwargs: Any) -> None:
        self.resource = resource
        self._processors: list[Any] = []

    def add_span_processor(self, span_processor: Any) -> None:
        self._processors.append(span_processor)

    def get_tracer(self, instrumenting_module_name: str, *args: Any, **kwargs: Any) -> Tracer:
        return Tracer(self, instrumenting_module_name)

    def _on_end(self, span: Span) -> None:
        for processor in self._processors:
            processor.on_end(span)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        deadline = time.monotonic() + timeout_millis / 1e3
        for processor in self._processors:
            remaining_ms = max(int((deadline - time.monotonic()) * 1e3), 0)
            if not processor.force_flush(remaining_ms):
                return False
        return True

    def shutdown(self) -> None:
        for processor in self._processors:
            processor.shutdown()
