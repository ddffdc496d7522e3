import logging

import functions_framework
from google.cloud import pubsub_v1

logger = logging.getLogger(__name__)
publisher = pubsub_v1.PublisherClient()
topic_path = publisher.topic_path("my-project", "signups")


def _on_published(future):
    try:
        logger.info("published message %s", future.result())
    except Exception:
        logger.exception("publish failed")


@functions_framework.http
def signup(request):
    email = request.form.get("email")
    if not email:
        return "missing email", 400
    future = publisher.publish(topic_path, email.encode())  # expect: LW103
    future.add_done_callback(_on_published)
    return "thanks for signing up", 201
