import threading


def _send(batch: list) -> None:
    ...


def send_async(batch: list) -> threading.Thread:
    worker = threading.Thread(target=_send, args=(batch,))
    worker.start()
    return worker
