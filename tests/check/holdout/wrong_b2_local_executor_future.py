from concurrent.futures import ThreadPoolExecutor

import functions_framework
from google.cloud import storage

gcs = storage.Client()


@functions_framework.http
def save_snapshot(request):
    data = request.get_data()
    ex = ThreadPoolExecutor(max_workers=1)
    fut = ex.submit(gcs.bucket("snapshots").blob("latest.bin").upload_from_string, data)  # expect: LW103
    return {"bytes": len(data), "pending": not fut.done()}
