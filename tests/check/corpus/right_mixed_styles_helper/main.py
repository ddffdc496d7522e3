"""A decorated entry point that delegates to HTTP-shaped helpers of its own: the helpers
are followed from the entry point, not checked as entry points themselves."""

import functions_framework
from flask import abort


@functions_framework.http
def router(request):
    if request.method == "GET":
        return read(request)
    if request.method == "POST":
        return write(request)
    abort(405)


def read(request):
    return {"items": []}


def write(request):
    if not request.is_json:
        return "expected JSON", 415
    return {"created": True}, 201


def describe(req):
    return {"path": req.path}


ROUTES = {"/describe": describe}
