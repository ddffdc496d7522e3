from concurrent import futures

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = "projects/demo/topics/events"


@functions_framework.http
def fan_out(request):
    publish_futures = []
    for event in request.get_json()["events"]:
        publish_futures.append(publisher.publish(TOPIC, event.encode()))
    futures.wait(publish_futures, return_when=futures.ALL_COMPLETED)
    return f"published {len(publish_futures)}"
