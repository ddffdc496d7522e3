from concurrent.futures import ThreadPoolExecutor, wait

import functions_framework
from google.cloud import storage


class BatchUploader:
    def __init__(self, bucket_name: str) -> None:
        self._bucket = storage.Client().bucket(bucket_name)
        self._executor = ThreadPoolExecutor(max_workers=8)

    def _upload(self, name: str, data: bytes) -> None:
        self._bucket.blob(name).upload_from_string(data)

    def upload_all(self, files: dict[str, bytes]) -> int:
        futures = [self._executor.submit(self._upload, n, d) for n, d in files.items()]
        done, _ = wait(futures)
        for f in done:
            f.result()
        return len(done)


uploader = BatchUploader("incoming")


@functions_framework.http
def upload_batch(request):
    files = {f.filename: f.read() for f in request.files.getlist("file")}
    count = uploader.upload_all(files)
    return {"uploaded": count}
