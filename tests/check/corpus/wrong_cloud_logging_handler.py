import logging

import functions_framework
import google.cloud.logging
from google.cloud.logging.handlers import CloudLoggingHandler


@functions_framework.http
def audit(request):
    client = google.cloud.logging.Client()
    handler = CloudLoggingHandler(client, name="audit")  # expect: LW104
    log = logging.getLogger("audit")
    log.addHandler(handler)
    log.info("access by %s", request.headers.get("X-User"))
    return "logged"
