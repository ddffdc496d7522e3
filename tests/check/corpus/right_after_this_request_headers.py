import functions_framework
from flask import after_this_request


@functions_framework.http
def cors(request):
    @after_this_request
    def add_headers(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.add("Vary", "Origin")
        return response

    return "ok"
