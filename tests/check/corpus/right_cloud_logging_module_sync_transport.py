import logging

import functions_framework
import google.cloud.logging
from google.cloud.logging.handlers import CloudLoggingHandler
from google.cloud.logging_v2.handlers.transports import SyncTransport

client = google.cloud.logging.Client()
logging.getLogger().addHandler(CloudLoggingHandler(client, transport=SyncTransport))


@functions_framework.http
def order(request):
    logging.info("order received")
    return "ok"
