import threading

import functions_framework
from google.cloud import storage


class UploadWorker(threading.Thread):
    def __init__(self, bucket: str, path: str, data: bytes) -> None:
        super().__init__(daemon=True)
        self.bucket = bucket
        self.path = path
        self.data = data

    def run(self) -> None:
        storage.Client().bucket(self.bucket).blob(self.path).upload_from_string(self.data)


@functions_framework.http
def store(request):
    path = request.args["path"]
    worker = UploadWorker("raw-data", path, request.get_data())  # expect: LW104
    worker.start()
    return f"storing {path}"
