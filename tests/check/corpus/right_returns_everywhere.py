import functions_framework
from flask import abort, jsonify


@functions_framework.http
def items(request):
    if request.method == "GET":
        return jsonify(["a", "b"])
    elif request.method == "POST":
        return jsonify({"created": True}), 201
    else:
        abort(405)
