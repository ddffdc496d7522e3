import logging

import functions_framework
import google.cloud.logging
from google.cloud.logging.handlers import CloudLoggingHandler
from google.cloud.logging.handlers.transports import SyncTransport


@functions_framework.http
def audit(request):
    client = google.cloud.logging.Client()
    handler = CloudLoggingHandler(client, name="audit", transport=SyncTransport)
    log = logging.getLogger("audit")
    log.addHandler(handler)
    log.info("access by %s", request.headers.get("X-User"))
    return "logged"


@functions_framework.http
def audit_flushed(request):
    handler = CloudLoggingHandler(google.cloud.logging.Client(), name="audit")
    logging.getLogger("audit").addHandler(handler)
    logging.getLogger("audit").info("access")
    handler.flush()
    return "logged"
