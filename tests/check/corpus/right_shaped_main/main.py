from utils import get_user


def hello_http(request):
    user = get_user(request)
    if user is None:
        return "anonymous"
    return f"hello {user}"
