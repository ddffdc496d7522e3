import functions_framework
from flask import after_this_request, jsonify

ALLOWED = {"https://app.example.com", "https://admin.example.com"}


@functions_framework.http
def api(request):
    origin = request.headers.get("Origin", "")

    @after_this_request
    def add_cors(response):
        if origin in ALLOWED:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        return response

    if request.method == "OPTIONS":
        return "", 204
    return jsonify({"hello": "world"})
