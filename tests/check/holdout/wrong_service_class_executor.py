from concurrent.futures import ThreadPoolExecutor

import functions_framework
from PIL import Image


class ThumbnailService:
    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers)

    def _resize(self, path: str) -> None:
        with Image.open(path) as img:
            img.thumbnail((128, 128))
            img.save(path + ".thumb.png")

    def enqueue(self, path: str) -> None:
        self._pool.submit(self._resize, path)  # expect: LW103


thumbnails = ThumbnailService()


@functions_framework.http
def on_upload(request):
    path = request.get_json()["path"]
    thumbnails.enqueue(path)
    return {"thumbnail": "pending"}
