"""Stand-in for ``OTLPSpanExporter`` (OTLP over HTTP): each export is one blocking POST.

The POST is simulated: it takes ``FAKE_OTLP_EXPORT_SECONDS`` (default 0.4 s). Exported spans are
appended to the module-level ``EXPORTED`` list.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

EXPORTED: list[Any] = []


class OTLPSpanExporter(SpanExporter):
    def __init__(
        self,
        endpoint: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> None:
        self.endpoint = endpoint or os.environ.get(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://localhost:4318/v1/traces"
        )
        self.timeout = timeout or 10.0
        self._shutdown = False

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        if self._shutdown:
            return SpanExportResult.FAILURE
        time.sleep(float(os.environ.get("FAKE_OTLP_EXPORT_SECONDS", "0.4")))
        EXPORTED.extend(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self._shutdown = True
