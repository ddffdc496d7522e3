import base64
import json

import functions_framework
from cloudevents.http import CloudEvent
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
ENRICHED = publisher.topic_path("acme-prod", "orders-enriched")


@functions_framework.cloud_event
def enrich_order(cloud_event: CloudEvent) -> None:
    raw = base64.b64decode(cloud_event.data["message"]["data"])
    order = json.loads(raw)
    order["enriched"] = True
    publisher.publish(ENRICHED, json.dumps(order).encode("utf-8"))  # expect: LW103
