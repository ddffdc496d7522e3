import functions_framework


@functions_framework.http
def route(request):
    match request.method:
        case "GET":
            return "read"
        case "DELETE":
            return "deleted", 204
        case _:
            return "method not allowed", 405
