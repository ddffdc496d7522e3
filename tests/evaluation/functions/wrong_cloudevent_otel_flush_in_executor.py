"""Process an order event, traced; the spans are flushed off the critical path."""

import base64
import json
from concurrent.futures import ThreadPoolExecutor

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)

_flusher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otel-flush")


def on_order(cloud_event):
    with tracer.start_as_current_span("on_order") as span:
        order = json.loads(base64.b64decode(cloud_event.data["message"]["data"]))
        span.set_attribute("order.id", str(order.get("id")))
        with tracer.start_as_current_span("validate"):
            valid = bool(order.get("items"))
        span.set_attribute("order.valid", valid)
    _flusher.submit(provider.force_flush)
