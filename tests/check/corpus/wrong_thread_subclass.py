import threading

import functions_framework


class Uploader(threading.Thread):
    def __init__(self, payload: bytes) -> None:
        super().__init__(daemon=True)
        self.payload = payload

    def run(self) -> None:
        ...


@functions_framework.http
def ingest(request):
    Uploader(request.get_data()).start()  # expect: LW104
    return "ok"
