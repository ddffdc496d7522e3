import json

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient(
    batch_settings=pubsub_v1.types.BatchSettings(max_messages=100, max_latency=0.5),
)
topic = publisher.topic_path("retail-prod", "inventory-updates")


@functions_framework.http
def bulk_update(request):
    items = request.get_json()["items"]
    futures = []
    for item in items:
        futures.append(publisher.publish(topic, json.dumps(item).encode()))  # expect: LW103
    return {"published": len(futures)}
