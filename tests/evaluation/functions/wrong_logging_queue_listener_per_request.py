"""Ingest a batch of readings; each request logs to the collector through a log queue."""

import logging
import logging.handlers
import queue
import uuid

import functions_framework
from google.cloud import storage

log_bucket = storage.Client().bucket("eval-logs")


class BucketHandler(logging.Handler):
    """Writes each record as an object in the log bucket."""

    def emit(self, record):
        name = f"ingest/{record.created:.6f}.log"
        log_bucket.blob(name).upload_from_string(self.format(record))


def _request_logger(request_id):
    records = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, BucketHandler())
    listener.start()
    logger = logging.getLogger("ingest").getChild(request_id)
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.handlers.QueueHandler(records))
    return logger


@functions_framework.http
def ingest(request):
    readings = (request.get_json(silent=True) or {}).get("readings", [])
    log = _request_logger(uuid.uuid4().hex[:8])
    log.info("received %d readings", len(readings))
    accepted = [r for r in readings if isinstance(r, (int, float))]
    log.warning("ingested %d of %d readings", len(accepted), len(readings))
    return {"accepted": len(accepted)}
