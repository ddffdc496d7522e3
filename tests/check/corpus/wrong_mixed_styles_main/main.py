"""One decorated function and undecorated HTTP functions in the same main.py: the
platform can serve every one of them (--target picks one per deployment)."""

import threading

import functions_framework
from flask import jsonify

from metrics import push_metrics


@functions_framework.http
def health(request):
    return jsonify(status="ok")


def ingest(request):
    batch = request.get_json()
    threading.Thread(target=push_metrics, args=(len(batch),)).start()  # expect: LW104
    return jsonify(accepted=len(batch)), 202


def notify(request):  # expect: LW302
    print("notified", request.args.get("id"))
