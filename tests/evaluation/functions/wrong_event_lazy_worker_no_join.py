"""Background function: a worker thread, started by the first event, writes rows in order."""

import base64
import json
import queue
import threading
import time

_rows = queue.Queue()
_worker = None
_worker_lock = threading.Lock()
WRITTEN = []


def _write_rows():
    while True:
        row = _rows.get()
        try:
            time.sleep(0.2)  # the database insert
            WRITTEN.append(row)
        finally:
            _rows.task_done()


def _ensure_worker():
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = threading.Thread(target=_write_rows, name="row-writer", daemon=True)
            _worker.start()


def load_rows(data, context):
    rows = json.loads(base64.b64decode(data["data"]))
    _ensure_worker()
    for row in rows:
        _rows.put(row)
    print(f"event {context.event_id}: {len(rows)} row(s) queued")
