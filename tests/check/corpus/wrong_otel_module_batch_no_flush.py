import functions_framework
from opentelemetry import trace
from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(CloudTraceSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)


@functions_framework.http
def quote(request):
    with tracer.start_as_current_span("quote") as span:  # expect: LW104
        span.set_attribute("sku", request.args.get("sku", ""))
        price = 42
    return {"price": price}
