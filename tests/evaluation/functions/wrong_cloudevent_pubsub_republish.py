"""Split an order message into one message per line item, for the warehouse."""

import base64
import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
PICKING = publisher.topic_path("eval-project", "picking")


@functions_framework.cloud_event
def split_order(cloud_event):
    order = json.loads(base64.b64decode(cloud_event.data["message"]["data"]))
    for line, item in enumerate(order.get("items", [])):
        message = {"order": order.get("id"), "line": line, "sku": item.get("sku")}
        publisher.publish(PICKING, json.dumps(message).encode("utf-8"), order=str(order.get("id")))
    print(f"order {order.get('id')}: {len(order.get('items', []))} picking message(s)")
