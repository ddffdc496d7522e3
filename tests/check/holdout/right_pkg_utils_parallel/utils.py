import threading

import requests

CATALOG_API = "https://catalog.example.com/items/"


def _fetch(sku, out, lock):
    ok = requests.get(CATALOG_API + sku, timeout=10).ok
    with lock:
        out[sku] = ok


def fetch_all(skus):
    out = {}
    lock = threading.Lock()
    workers = [threading.Thread(target=_fetch, args=(sku, out, lock)) for sku in skus]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return out
