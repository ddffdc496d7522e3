"""Handle a storage event, traced; spans are flushed before the event is acknowledged."""

import functions_framework
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)


@functions_framework.cloud_event
def on_object(cloud_event):
    data = cloud_event.data
    with tracer.start_as_current_span("on_object") as span:
        span.set_attribute("gcs.bucket", data.get("bucket", ""))
        span.set_attribute("gcs.object", data.get("name", ""))
        span.set_attribute("gcs.size", int(data.get("size", 0)))
    provider.force_flush()
