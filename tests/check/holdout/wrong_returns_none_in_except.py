import logging

import functions_framework
from flask import jsonify


def parse_amount(raw: str) -> float:
    return round(float(raw), 2)


@functions_framework.http
def convert(request):  # expect: LW302
    try:
        amount = parse_amount(request.args["amount"])
        rate = float(request.args.get("rate", "1.0"))
        return jsonify({"converted": amount * rate})
    except (KeyError, ValueError):
        logging.exception("bad conversion request")
