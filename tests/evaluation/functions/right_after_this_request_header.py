"""Price lookup that reports its own processing time in a Server-Timing header."""

import time

import flask
import functions_framework

PRICES = {"espresso": 2.2, "latte": 3.1, "tea": 1.8}


@functions_framework.http
def price(request):
    started = time.perf_counter()

    @flask.after_this_request
    def add_timing(response):
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response

    item = request.args.get("item", "espresso")
    if item not in PRICES:
        return {"error": f"unknown item {item!r}"}, 404
    return {"item": item, "price": PRICES[item]}
