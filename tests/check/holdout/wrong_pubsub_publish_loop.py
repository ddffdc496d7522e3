import json
import os

import functions_framework
from google.cloud import pubsub_v1

PROJECT_ID = os.environ.get("GOOGLE_CLOUD_PROJECT", "demo")
publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path(PROJECT_ID, "sensor-readings")


@functions_framework.http
def ingest_readings(request):
    payload = request.get_json(silent=True) or {}
    readings = payload.get("readings", [])
    if not readings:
        return {"error": "no readings"}, 400
    for reading in readings:
        data = json.dumps(reading).encode("utf-8")
        publisher.publish(TOPIC, data, device=str(reading.get("device_id")))  # expect: LW103
    return {"accepted": len(readings)}, 202
