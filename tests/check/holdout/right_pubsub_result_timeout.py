import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("acme", "password-resets")


@functions_framework.http
def request_reset(request):
    email = request.form["email"]
    message_id = publisher.publish(TOPIC, email.encode(), origin="web").result(timeout=30)
    return {"message_id": message_id}, 202
