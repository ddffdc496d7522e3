"""Click tracking: every page view is sent to the analytics topic."""

import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("eval-project", "clicks")


@functions_framework.http
def track_click(request):
    payload = request.get_json(silent=True) or {}
    event = {"page": payload.get("page", "/"), "user": payload.get("user")}
    publisher.publish(TOPIC, json.dumps(event).encode("utf-8"), kind="click")
    return "", 204
