import time

import functions_framework


def ready() -> bool:
    return True


@functions_framework.http
def wait_ready(request):
    deadline = time.monotonic() + 10
    while True:
        if ready():
            return "ready"
        if time.monotonic() > deadline:
            return "timeout", 504
        time.sleep(0.1)
