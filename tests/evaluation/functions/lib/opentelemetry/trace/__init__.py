"""Stand-in for the OpenTelemetry API (``opentelemetry.trace``): the global tracer provider.

As in the real API, ``get_tracer`` may be called at import time, before any provider is set:
it returns a proxy that uses whichever provider is set when a span is started.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

_LOGGER = logging.getLogger("opentelemetry.trace")
_PROVIDER: Any = None


class NonRecordingSpan:
    def set_attribute(self, key: str, value: Any) -> None:
        pass

    def record_exception(self, exception: BaseException) -> None:
        pass

    def end(self) -> None:
        pass


class _NoOpTracer:
    @contextlib.contextmanager
    def start_as_current_span(self, name: str, **kwargs: Any) -> Iterator[NonRecordingSpan]:
        yield NonRecordingSpan()


class ProxyTracer:
    def __init__(self, name: str) -> None:
        self._name = name

    def _real(self) -> Any:
        return _PROVIDER.get_tracer(self._name) if _PROVIDER is not None else _NoOpTracer()

    def start_as_current_span(self, name: str, **kwargs: Any) -> Any:
        return self._real().start_as_current_span(name, **kwargs)

    def start_span(self, name: str, **kwargs: Any) -> Any:
        real = self._real()
        return real.start_span(name, **kwargs) if hasattr(real, "start_span") else NonRecordingSpan()


def set_tracer_provider(provider: Any) -> None:
    """Set the global provider once; later calls are ignored with a warning (as upstream)."""
    global _PROVIDER
    if _PROVIDER is not None:
        _LOGGER.warning("Overriding of current TracerProvider is not allowed")
        return
    _PROVIDER = provider


def get_tracer_provider() -> Any:
    return _PROVIDER


def get_tracer(instrumenting_module_name: str, *args: Any, **kwargs: Any) -> ProxyTracer:
    return ProxyTracer(instrumenting_module_name)
