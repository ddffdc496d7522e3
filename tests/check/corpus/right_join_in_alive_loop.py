import logging
import threading

import functions_framework


def export(day: str) -> None:
    ...


@functions_framework.http
def nightly(request):
    worker = threading.Thread(target=export, args=(request.args["day"],))
    worker.start()
    while worker.is_alive():
        worker.join(timeout=5)
        logging.info("export still running")
    return "exported"
