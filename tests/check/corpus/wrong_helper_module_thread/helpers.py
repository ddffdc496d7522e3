import threading


def _upload(data: bytes) -> None:
    ...


def start_upload(data: bytes) -> None:
    thread = threading.Thread(target=_upload, args=(data,))  # expect: LW104
    thread.start()
