"""Product lookup with a cache that is warmed with related products after each miss."""

import time
from concurrent.futures import ThreadPoolExecutor

import functions_framework

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cache-warm")
_CACHE = {}


def _load(key):
    time.sleep(0.25)  # the product database
    return {"key": key, "name": key.replace("-", " ").title()}


def _warm(keys):
    for key in keys:
        _CACHE.setdefault(key, _load(key))


@functions_framework.http
def lookup(request):
    key = request.args.get("key", "blue-mug")
    product = _CACHE.get(key)
    if product is None:
        product = _CACHE[key] = _load(key)
        related = [f"{key}-{n}" for n in range(1, 4)]
        _POOL.submit(_warm, related)
    return product
