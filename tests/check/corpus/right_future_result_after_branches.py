from concurrent.futures import ThreadPoolExecutor

import functions_framework

pool = ThreadPoolExecutor(2)


def lookup(key: str) -> str:
    return key


@functions_framework.http
def get(request):
    fut = pool.submit(lookup, request.args["key"])
    if request.args.get("verbose"):
        detail = "verbose"
    else:
        detail = "short"
    return {"value": fut.result(timeout=5), "detail": detail}
