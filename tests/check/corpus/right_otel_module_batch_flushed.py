import functions_framework
from opentelemetry import trace
from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(CloudTraceSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)


def lookup(sku: str) -> int:
    with tracer.start_as_current_span("lookup"):
        return 42


@functions_framework.http
def quote(request):
    try:
        with tracer.start_as_current_span("quote"):
            price = lookup(request.args.get("sku", ""))
        return {"price": price}
    finally:
        provider.force_flush()
