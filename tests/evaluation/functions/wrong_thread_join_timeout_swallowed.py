"""Push stock levels to the warehouse API without keeping the shop waiting too long."""

import os
import threading

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


def _push(items):
    with httpx.Client(base_url=BACKEND, timeout=5) as client:
        client.post("/warehouse/stock", params={"delay": "1.0"}, json=items)


def sync_inventory(request):
    items = request.get_json(silent=True) or []
    pusher = threading.Thread(target=_push, args=(items,), name="inventory-push")
    pusher.start()
    pusher.join(timeout=0.3)
    return {"queued": len(items)}
