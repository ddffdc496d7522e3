"""Background function: rebuild the recommendations index in a separate process."""

import base64
import json
import multiprocessing
import time


def _rebuild(catalogue_version):
    time.sleep(0.8)  # CPU-heavy rebuild
    print(f"recommendations rebuilt for catalogue {catalogue_version}")


def rebuild_index(data, context):
    change = json.loads(base64.b64decode(data["data"]))
    version = change.get("version", 1)
    worker = multiprocessing.Process(target=_rebuild, args=(version,), daemon=False)
    worker.start()
    print(f"event {context.event_id}: rebuilding for catalogue {version} in pid {worker.pid}")
