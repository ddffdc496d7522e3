import threading

import functions_framework

CONFIG: dict = {}


def load_config() -> None:
    CONFIG["ready"] = True


_loader = threading.Thread(target=load_config)
_loader.start()
_loader.join()


@functions_framework.http
def config(request):
    return CONFIG
