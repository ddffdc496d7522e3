import functions_framework
from flask import jsonify


@functions_framework.http
def items(request):  # expect: LW302
    if request.method == "GET":
        return jsonify(["a", "b"])
    elif request.method == "POST":
        return jsonify({"created": True}), 201
