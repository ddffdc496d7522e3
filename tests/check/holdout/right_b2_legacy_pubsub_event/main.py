import base64
import json

from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
DEAD_LETTER = publisher.topic_path("acme", "dead-letter")


def process_message(event, context):
    payload = json.loads(base64.b64decode(event["data"]))
    if "id" not in payload:
        publisher.publish(DEAD_LETTER, event["data"].encode()).result()
        return
    print(f"processing {payload['id']} from {context.event_id}")
