import functions_framework
from opentelemetry import trace
from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(CloudTraceSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)


@functions_framework.http
def lookup(request):
    with tracer.start_as_current_span("lookup") as span:
        span.set_attribute("sku", request.args.get("sku", ""))
        return {"stock": 3}


def debug_exporter():
    return BatchSpanProcessor(CloudTraceSpanExporter())
