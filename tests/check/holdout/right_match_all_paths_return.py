import lastword


@lastword.http
def router(request):
    match request.method:
        case "GET":
            return {"items": []}
        case "DELETE":
            return "", 204
        case _:
            return {"error": "method not allowed"}, 405
