"""Notify a list of users: one Pub/Sub message each, failures logged by a callback."""

import json
import logging
from concurrent import futures

from google.cloud import pubsub_v1

logger = logging.getLogger("notify")

batch_settings = pubsub_v1.types.BatchSettings(max_messages=10, max_latency=0.05)
publisher = pubsub_v1.PublisherClient(batch_settings)
TOPIC = publisher.topic_path("eval-project", "notifications")


def _log_result(user):
    def callback(future):
        try:
            logger.info("notification for %s is message %s", user, future.result())
        except Exception:
            logger.exception("notification for %s was not published", user)

    return callback


def notify_users(request):
    body = request.get_json(silent=True) or {}
    publish_futures = []
    for user in body.get("users", []):
        data = json.dumps({"user": user, "text": body.get("text", "")}).encode("utf-8")
        future = publisher.publish(TOPIC, data)
        future.add_done_callback(_log_result(user))
        publish_futures.append(future)
    futures.wait(publish_futures, return_when=futures.ALL_COMPLETED)
    return {"notified": len(publish_futures)}
