import threading

import functions_framework
import requests
from flask import jsonify


def prefetch(url: str, out: dict) -> None:
    out["prefetched"] = requests.get(url, timeout=10).json()


@functions_framework.http
def profile(request):
    user_id = request.args["user"]
    extra: dict = {}
    t = threading.Thread(target=prefetch, args=(f"https://recs.example/{user_id}", extra))
    t.start()
    try:
        if not user_id.isdigit():
            return jsonify({"error": "bad user"}), 400
        profile = {"id": int(user_id), "name": "user" + user_id}
        return jsonify(profile)
    finally:
        t.join()
