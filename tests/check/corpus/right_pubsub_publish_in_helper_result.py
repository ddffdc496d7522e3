import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()


def publish(topic: str, data: bytes) -> str:
    return publisher.publish(topic, data).result()


@functions_framework.http
def notify(request):
    message_id = publish("projects/p/topics/t", request.get_data())
    return {"id": message_id}
