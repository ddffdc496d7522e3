import functions_framework
from flask import abort, jsonify

PRODUCTS = [{"id": 1, "name": "lamp"}, {"id": 2, "name": "desk"}]


@functions_framework.http
def product(request):
    wanted = request.args.get("id", type=int)
    for item in PRODUCTS:
        if item["id"] == wanted:
            return jsonify(item)
    abort(404)
