"""When the catalogue file changes, re-index every search shard in parallel."""

import time
from concurrent.futures import ThreadPoolExecutor

import lastword

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="reindex")
SHARDS = ("a-f", "g-m", "n-s", "t-z")


def _reindex(shard):
    time.sleep(0.6)  # rebuild the shard
    return shard


@lastword.cloud_event
def reindex_catalogue(cloud_event):
    if not cloud_event.data.get("name", "").startswith("catalogue/"):
        return
    _POOL.map(_reindex, SHARDS)
    print(f"re-indexing {len(SHARDS)} shards for {cloud_event.data['name']}")
