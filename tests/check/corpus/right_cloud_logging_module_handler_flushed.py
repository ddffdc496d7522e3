import logging

import functions_framework
import google.cloud.logging
from google.cloud.logging.handlers import CloudLoggingHandler

client = google.cloud.logging.Client()
handler = CloudLoggingHandler(client, name="orders")
logger = logging.getLogger("orders")
logger.addHandler(handler)


@functions_framework.http
def order(request):
    logger.info("order received")
    handler.flush()
    return "ok"
