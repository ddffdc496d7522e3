import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = "projects/demo/topics/orders"


@functions_framework.http
def create_order(request):
    future = publisher.publish(TOPIC, json.dumps(request.get_json()).encode())
    message_id = future.result(timeout=10)
    return {"message_id": message_id}
