"""Enrich each order message and relay it to the next topic, waiting for the publish."""

import base64
import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
ENRICHED = publisher.topic_path("eval-project", "orders-enriched")


@functions_framework.cloud_event
def relay_order(cloud_event):
    order = json.loads(base64.b64decode(cloud_event.data["message"]["data"]))
    order["total"] = sum(i.get("price", 0) * i.get("qty", 1) for i in order.get("items", []))
    order["source_event"] = cloud_event["id"]
    future = publisher.publish(ENRICHED, json.dumps(order).encode("utf-8"))
    future.result()
