import threading

import functions_framework


def render_thumbnail(name: str) -> None:
    ...


@functions_framework.http
def thumbnail(request):
    worker = threading.Thread(target=render_thumbnail, args=(request.args["name"],))
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        return "thumbnail still rendering, retry later", 503
    return "ok"
