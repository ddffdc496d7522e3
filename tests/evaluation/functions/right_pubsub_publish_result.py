"""Checkout: publish the order to the fulfilment topic and answer with its message id."""

import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("eval-project", "orders")


@functions_framework.http
def publish_order(request):
    order = request.get_json(silent=True) or {}
    if "id" not in order:
        return {"error": "an order needs an id"}, 400
    future = publisher.publish(TOPIC, json.dumps(order).encode("utf-8"), origin="checkout")
    message_id = future.result(timeout=30)
    return {"published": message_id}
