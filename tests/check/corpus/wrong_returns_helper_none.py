import functions_framework
from flask import jsonify


def handle_post(request):
    body = request.get_json(silent=True)
    if body is None:
        return jsonify(error="no body"), 400
    if "name" in body:
        return jsonify(hello=body["name"])


@functions_framework.http
def hello(request):
    if request.method == "POST":
        return handle_post(request)  # expect: LW302
    return jsonify(hello="world")
