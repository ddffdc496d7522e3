import json
import os

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path(os.environ["PROJECT"], "orders")


@functions_framework.http
def create_order(request):
    order = request.get_json()
    publisher.publish(topic_path, json.dumps(order).encode())  # expect: LW103
    return {"status": "queued"}
