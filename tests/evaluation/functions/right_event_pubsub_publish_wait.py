"""Background function: split a batch message into one message per record, then confirm."""

import base64
import json
from concurrent import futures

from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()
RECORDS = publisher.topic_path("eval-project", "records")


def split_batch(data, context):
    batch = json.loads(base64.b64decode(data["data"]))
    pending = [
        publisher.publish(RECORDS, json.dumps(record).encode("utf-8"), batch=context.event_id)
        for record in batch.get("records", [])
    ]
    done, not_done = futures.wait(pending, timeout=60)
    if not_done:
        raise RuntimeError(f"{len(not_done)} record(s) were not published in time")
    failed = [f for f in done if f.exception() is not None]
    if failed:
        raise RuntimeError(f"{len(failed)} record(s) failed to publish") from failed[0].exception()
