import threading

import functions_framework
from google.cloud import storage

bucket = storage.Client().bucket("thumbnails")


def delete_blob(name: str) -> None:
    bucket.blob(name).delete()


@functions_framework.http
def purge(request):
    names = request.get_json().get("names", [])
    workers = []
    for name in names:
        worker = threading.Thread(target=delete_blob, args=(name,))  # expect: LW104
        workers.append(worker)
        worker.start()
    return {"purging": len(workers)}
