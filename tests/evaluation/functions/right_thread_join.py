"""Render an image at several sizes, one thread per size, and list what was made."""

import hashlib
import threading
import time


def _render(size, results, lock):
    time.sleep(0.15)  # the resize itself
    digest = hashlib.sha256(f"img-{size}".encode()).hexdigest()[:12]
    with lock:
        results[size] = digest


def render_sizes(request):
    sizes = (request.get_json(silent=True) or {}).get("sizes", [64, 128, 256])
    results = {}
    lock = threading.Lock()
    threads = [threading.Thread(target=_render, args=(s, results, lock)) for s in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rendered": {str(size): results[size] for size in sorted(results)}}
