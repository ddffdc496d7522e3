import json

from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("etl", "rows")


def publish_all(rows):
    return [publisher.publish(TOPIC, json.dumps(row).encode()) for row in rows]
