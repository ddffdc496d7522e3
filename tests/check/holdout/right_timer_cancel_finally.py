import logging
import threading

import functions_framework


def warn_slow(request_id: str) -> None:
    logging.warning("request %s is taking more than 10s", request_id)


def expensive(payload: dict) -> dict:
    return {"n": len(payload)}


@functions_framework.http
def compute(request):
    request_id = request.headers.get("X-Request-Id", "-")
    watchdog = threading.Timer(10.0, warn_slow, args=(request_id,))
    watchdog.start()
    try:
        result = expensive(request.get_json())
    finally:
        watchdog.cancel()
    return result
