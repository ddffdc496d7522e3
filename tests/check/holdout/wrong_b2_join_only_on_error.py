import threading

import functions_framework
from flask import jsonify


def precompute(user_id: str) -> None:
    ...


def validate(data: dict) -> None:
    if "user" not in data:
        raise ValueError("user missing")


@functions_framework.http
def login(request):
    data = request.get_json()
    t = threading.Thread(target=precompute, args=(data.get("user", ""),))  # expect: LW104
    t.start()
    try:
        validate(data)
    except ValueError as exc:
        t.join()
        return jsonify({"error": str(exc)}), 400
    return jsonify({"welcome": data["user"]})
