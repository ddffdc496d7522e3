import logging
import threading

import functions_framework


def sync_inventory(store_id: str) -> None:
    ...


@functions_framework.http
def inventory(request):
    store_id = request.args["store"]
    syncer = threading.Thread(target=sync_inventory, args=(store_id,), name=f"sync-{store_id}")  # expect: LW104
    syncer.start()
    if syncer.is_alive():
        logging.info("sync for %s running in %s", store_id, syncer.name)
    return {"store": store_id, "sync": "started"}
