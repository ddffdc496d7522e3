import logging

import functions_framework
from flask import make_response

logger = logging.getLogger(__name__)


@functions_framework.http
def ping(request):
    response = make_response("pong")
    response.call_on_close(lambda: logger.info("response closed"))
    return response
