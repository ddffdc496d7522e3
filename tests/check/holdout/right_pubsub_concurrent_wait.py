import json
from concurrent import futures

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path("acme", "clicks")


@functions_framework.http
def clicks(request):
    events = request.get_json()["events"]
    publish_futures = []
    for event in events:
        publish_futures.append(publisher.publish(topic_path, json.dumps(event).encode()))
    futures.wait(publish_futures, return_when=futures.ALL_COMPLETED)
    return {"published": len(publish_futures)}
