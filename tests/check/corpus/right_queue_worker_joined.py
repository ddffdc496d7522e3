import queue
import threading

import functions_framework

_outbox = queue.Queue()
_sender = None


def _send_forever():
    while True:
        message = _outbox.get()
        try:
            print("sending", message)
        finally:
            _outbox.task_done()


@functions_framework.http
def notify(request):
    global _sender
    if _sender is None:
        _sender = threading.Thread(target=_send_forever, daemon=True)
        _sender.start()
    for user in request.get_json()["users"]:
        _outbox.put({"to": user})
    _outbox.join()
    return "sent"
