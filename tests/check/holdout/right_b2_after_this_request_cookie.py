import logging
import uuid

import functions_framework
from flask import after_this_request


@functions_framework.http
def track_visit(request):
    visitor = request.cookies.get("visitor") or uuid.uuid4().hex

    @after_this_request
    def remember(response):
        response.set_cookie("visitor", visitor, max_age=86400 * 365, secure=True)
        logging.info("visitor %s", visitor)
        return response

    return "welcome"
