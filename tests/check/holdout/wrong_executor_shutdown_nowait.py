from concurrent.futures import ThreadPoolExecutor

import functions_framework
from google.cloud import storage

client = storage.Client()


def copy_object(src: str, dst: str) -> None:
    bucket = client.bucket("media")
    bucket.copy_blob(bucket.blob(src), bucket, dst)


@functions_framework.http
def replicate(request):
    names = request.get_json()["names"]
    executor = ThreadPoolExecutor(max_workers=4)
    for name in names:
        executor.submit(copy_object, name, f"replica/{name}")  # expect: LW103
    executor.shutdown(wait=False)
    return {"replicating": len(names)}
