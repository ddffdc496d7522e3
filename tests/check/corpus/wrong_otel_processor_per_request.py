import functions_framework
from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


@functions_framework.http
def checkout(request):
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(CloudTraceSpanExporter()))  # expect: LW104
    tracer = provider.get_tracer(__name__)
    with tracer.start_as_current_span("checkout"):
        total = sum(item["price"] for item in request.get_json()["items"])
    return {"total": total}
