import threading

import functions_framework

BUFFER: list[str] = []


def flush() -> None:
    BUFFER.clear()


@functions_framework.http
def collect(request):
    BUFFER.append(request.get_data(as_text=True))
    threading.Timer(30.0, flush).start()  # expect: LW104
    return "buffered"
