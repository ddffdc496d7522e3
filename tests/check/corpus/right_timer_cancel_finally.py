import threading

import functions_framework


def alarm() -> None:
    ...


def long_work(data: bytes) -> str:
    return "ok"


@functions_framework.http
def guarded(request):
    timer = threading.Timer(25, alarm)
    timer.start()
    try:
        return long_work(request.get_data())
    finally:
        timer.cancel()
