import logging

import functions_framework
from flask import jsonify

log = logging.getLogger(__name__)


@functions_framework.http
def convert(request):  # expect: LW302
    try:
        value = float(request.args["celsius"])
        return jsonify(fahrenheit=value * 9 / 5 + 32)
    except (KeyError, ValueError):
        log.exception("bad input")
