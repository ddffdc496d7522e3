import threading

import functions_framework


def warm_cache() -> None:
    ...


@functions_framework.http
def handler(request):
    worker = threading.Thread(target=warm_cache)  # expect: LW104
    worker.start()
    if request.args.get("fast"):
        worker.join(timeout=1)
        return "fast"
    worker.join()
    return "ok"
