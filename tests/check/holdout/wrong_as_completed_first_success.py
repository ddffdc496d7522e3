from concurrent.futures import ThreadPoolExecutor, as_completed

import functions_framework
import requests

MIRRORS = ["https://m1.example.com", "https://m2.example.com", "https://m3.example.com"]
pool = ThreadPoolExecutor(max_workers=len(MIRRORS))


def fetch(base: str, path: str) -> bytes:
    resp = requests.get(f"{base}/{path}", timeout=20)
    resp.raise_for_status()
    return resp.content


@functions_framework.http
def download(request):
    path = request.args["path"]
    futures = [pool.submit(fetch, base, path) for base in MIRRORS]  # expect: LW103
    for future in as_completed(futures):
        if future.exception() is None:
            return future.result()
    return "all mirrors failed", 502
