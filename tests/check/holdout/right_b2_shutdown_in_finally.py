from concurrent.futures import ThreadPoolExecutor

import functions_framework
from google.cloud import storage

client = storage.Client()


@functions_framework.http
def copy_prefix(request):
    body = request.get_json()
    src = client.bucket(body["src"])
    dst = client.bucket(body["dst"])
    pool = ThreadPoolExecutor(max_workers=8)
    try:
        for blob in client.list_blobs(body["src"], prefix=body.get("prefix", "")):
            pool.submit(src.copy_blob, blob, dst, blob.name)
    finally:
        pool.shutdown()
    return "copied"
