"""Tell every follower about a new post; a done-callback logs each publish."""

import json
import logging

from google.cloud import pubsub_v1

logger = logging.getLogger("followers")

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("eval-project", "feed-updates")


def _on_published(future):
    try:
        logger.info("feed update published as %s", future.result())
    except Exception:
        logger.exception("feed update failed")


def notify_followers(request):
    post = request.get_json(silent=True) or {}
    followers = post.get("followers", [])
    for follower in followers:
        data = json.dumps({"to": follower, "post": post.get("id")}).encode("utf-8")
        publisher.publish(TOPIC, data).add_done_callback(_on_published)
    return {"fan_out": len(followers)}, 202
