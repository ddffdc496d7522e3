"""Checkout total; an audit record with the final status is sent for every checkout."""

import json
import threading

import flask
import functions_framework
from google.cloud import storage

audit_bucket = storage.Client().bucket("eval-audit")


def _send_audit(order_id, status):
    entry = json.dumps({"order": order_id, "status": status})
    audit_bucket.blob(f"checkout/{order_id}.json").upload_from_string(entry)


@functions_framework.http
def checkout(request):
    order = request.get_json(silent=True) or {}

    @flask.after_this_request
    def audit(response):
        threading.Thread(target=_send_audit, args=(order.get("id"), response.status_code)).start()
        return response

    total = sum(item.get("price", 0) * item.get("qty", 1) for item in order.get("items", []))
    return {"order": order.get("id"), "total": round(total, 2)}
