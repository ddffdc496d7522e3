import functions_framework
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader


@functions_framework.http
def count(request):
    reader = PeriodicExportingMetricReader(OTLPMetricExporter())  # expect: LW104
    meter = MeterProvider(metric_readers=[reader]).get_meter("orders")
    meter.create_counter("orders").add(1)
    return "counted"
