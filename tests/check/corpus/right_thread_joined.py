import threading

import functions_framework


def upload(data: bytes) -> None:
    ...


@functions_framework.http
def receive(request):
    t = threading.Thread(target=upload, args=(request.get_data(),))
    t.start()
    t.join()
    return "stored", 201
