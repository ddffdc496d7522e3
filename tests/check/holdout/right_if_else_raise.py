import functions_framework
from flask import jsonify
from werkzeug.exceptions import MethodNotAllowed


@functions_framework.http
def resource(request):
    if request.method == "GET":
        return jsonify({"items": []})
    elif request.method == "POST":
        return jsonify({"created": True}), 201
    else:
        raise MethodNotAllowed(valid_methods=["GET", "POST"])
