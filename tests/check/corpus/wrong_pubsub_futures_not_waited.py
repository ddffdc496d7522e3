import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = "projects/demo/topics/events"


@functions_framework.http
def fan_out(request):
    futures = []
    for event in request.get_json()["events"]:
        future = publisher.publish(TOPIC, event.encode())  # expect: LW103
        futures.append(future)
    return f"published {len(futures)} events"
