"""Page-view counter: views are summed in memory and written once per burst."""

import json
import threading

import functions_framework
from google.cloud import storage

bucket = storage.Client().bucket("eval-counters")
_pending = {}
_lock = threading.Lock()


def _flush(page):
    with _lock:
        count = _pending.pop(page, 0)
    name = "views/" + (page.strip("/").replace("/", "_") or "index") + ".json"
    bucket.blob(name).upload_from_string(json.dumps({"page": page, "views": count}))


@functions_framework.http
def count_view(request):
    page = request.args.get("page", "/")
    with _lock:
        _pending[page] = _pending.get(page, 0) + 1
        first_in_burst = _pending[page] == 1
    if first_in_burst:
        threading.Timer(0.5, _flush, args=(page,)).start()
    return "", 204
