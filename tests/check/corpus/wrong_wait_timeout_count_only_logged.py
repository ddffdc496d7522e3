import logging
from concurrent.futures import ThreadPoolExecutor, wait

import functions_framework

logger = logging.getLogger(__name__)
pool = ThreadPoolExecutor(max_workers=4)


def resize(path: str) -> None:
    ...


@functions_framework.http
def thumbnails(request):
    paths = request.get_json()["paths"]
    futures = [pool.submit(resize, p) for p in paths]  # expect: LW103
    done, not_done = wait(futures, timeout=2)
    logger.info("resized %d, %d still running", len(done), len(not_done))
    return "resizing"
