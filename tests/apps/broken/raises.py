import helper_that_raises  # noqa: F401


def hello(request):
    return "never served"
