import json

import functions_framework
from google.cloud import pubsub_v1


class EventBus:
    def __init__(self, project: str, topic: str) -> None:
        self._publisher = pubsub_v1.PublisherClient()
        self._topic = self._publisher.topic_path(project, topic)

    def emit(self, kind: str, payload: dict) -> str:
        future = self._publisher.publish(self._topic, json.dumps(payload).encode(), kind=kind)
        return future.result(timeout=30)


bus = EventBus("shop", "events")


@functions_framework.http
def add_to_cart(request):
    item = request.get_json()
    message_id = bus.emit("cart.add", item)
    return {"message_id": message_id}
