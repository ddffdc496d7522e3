import threading


def _upload(data: bytes) -> None:
    ...


def upload_in_background_and_wait(data: bytes) -> None:
    thread = threading.Thread(target=_upload, args=(data,))
    thread.start()
    thread.join()
