def get_user(request):
    token = request.headers.get("Authorization")
    if not token:
        return None
    return token.removeprefix("Bearer ")


def parse(request):
    if request.args:
        return dict(request.args)
