import threading

import functions_framework


def reindex() -> None:
    ...


@functions_framework.http
def update(request):
    thread = None
    if request.args.get("reindex"):
        thread = threading.Thread(target=reindex)
        thread.start()
    result = {"updated": True}
    if thread is not None:
        thread.join()
    return result
