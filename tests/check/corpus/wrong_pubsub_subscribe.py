import functions_framework
from google.cloud import pubsub_v1

subscriber = pubsub_v1.SubscriberClient()


def handle(message) -> None:
    message.ack()


@functions_framework.http
def drain(request):
    path = subscriber.subscription_path("acme", request.args["subscription"])
    subscriber.subscribe(path, callback=handle)  # expect: LW103
    return "draining"
