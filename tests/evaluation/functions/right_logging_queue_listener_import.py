"""Record a payment; logging goes through a QueueHandler to a listener set up at start-up."""

import atexit
import logging
import logging.handlers
import queue
import sys

log_queue = queue.Queue(-1)
listener = logging.handlers.QueueListener(
    log_queue, logging.StreamHandler(sys.stderr), respect_handler_level=True
)
listener.start()
atexit.register(listener.stop)

logger = logging.getLogger("payments")
logger.setLevel(logging.INFO)
logger.addHandler(logging.handlers.QueueHandler(log_queue))
logger.propagate = False


def record_payment(request):
    payment = request.get_json(silent=True) or {}
    logger.info("payment %s of %s received", payment.get("id"), payment.get("amount"))
    return {"recorded": payment.get("id")}
