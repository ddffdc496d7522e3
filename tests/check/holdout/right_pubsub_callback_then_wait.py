import logging
from concurrent.futures import wait

import functions_framework
from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
topic = publisher.topic_path("acme", "audit")


def log_result(future) -> None:
    logging.info("published %s", future.result())


@functions_framework.http
def audit(request):
    entries = request.get_json()
    pending = []
    for entry in entries:
        future = publisher.publish(topic, str(entry).encode())
        future.add_done_callback(log_result)
        pending.append(future)
    done, not_done = wait(pending, timeout=60)
    if not_done:
        return {"error": f"{len(not_done)} messages not confirmed"}, 504
    return {"published": len(done)}
