import concurrent.futures

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("iot", "commands")


@functions_framework.http
def send_commands(request):
    commands = request.get_json()["commands"]
    fs = [publisher.publish(TOPIC, c.encode()) for c in commands]
    done, not_done = concurrent.futures.wait(fs, timeout=30)
    return {"sent": len(done), "timed_out": len(not_done)}
