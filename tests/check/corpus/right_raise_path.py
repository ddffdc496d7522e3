import functions_framework
from werkzeug.exceptions import BadRequest


@functions_framework.http
def parse(request):
    body = request.get_json(silent=True)
    if body is None:
        raise BadRequest("JSON body required")
    for key in ("a", "b"):
        if key not in body:
            raise BadRequest(f"missing {key}")
    return {"sum": body["a"] + body["b"]}
