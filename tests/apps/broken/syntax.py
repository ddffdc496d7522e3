def hello(request)
    return "x"
