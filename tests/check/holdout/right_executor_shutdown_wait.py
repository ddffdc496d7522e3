from concurrent.futures import ThreadPoolExecutor

import functions_framework
from google.cloud import storage

client = storage.Client()


def delete(bucket: str, name: str) -> None:
    client.bucket(bucket).blob(name).delete()


@functions_framework.http
def cleanup(request):
    body = request.get_json()
    executor = ThreadPoolExecutor(max_workers=16)
    for name in body["names"]:
        executor.submit(delete, body["bucket"], name)
    executor.shutdown(wait=True)
    return {"deleted": len(body["names"])}
