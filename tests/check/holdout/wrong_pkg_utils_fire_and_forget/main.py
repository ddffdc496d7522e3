import functions_framework
from flask import jsonify
from utils import parse_event, record_metric


@functions_framework.http
def handle_webhook(request):
    event = parse_event(request)
    if event is None:
        return jsonify({"error": "bad payload"}), 400
    record_metric("webhook.received", 1, tags={"type": event["type"]})
    return jsonify({"ok": True})
