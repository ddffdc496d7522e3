import json
import os

from google.cloud import pubsub_v1

_publisher = pubsub_v1.PublisherClient()
_topic = _publisher.topic_path(os.environ.get("PROJECT", "dev"), "domain-events")


def publish_event(kind: str, data: dict):
    body = json.dumps({"kind": kind, "data": data}).encode()
    return _publisher.publish(_topic, body, kind=kind)
