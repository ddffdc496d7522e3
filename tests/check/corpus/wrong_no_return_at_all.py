import logging


def hook(request):  # expect: LW302
    payload = request.get_json(silent=True) or {}
    logging.info("webhook received: %s", payload.get("event"))
