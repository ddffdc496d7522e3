"""Check a batch of links in parallel and report their status codes."""

import os
from concurrent.futures import ThreadPoolExecutor

import functions_framework
import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


def _status(path):
    response = httpx.get(f"{BACKEND}{path}", params={"delay": "0.2"}, timeout=5)
    return response.status_code


@functions_framework.http
def check_links(request):
    paths = (request.get_json(silent=True) or {}).get("paths", ["/a", "/b", "/c"])
    with ThreadPoolExecutor(max_workers=4) as executor:
        codes = list(executor.map(_status, paths))
    return {"status": dict(zip(paths, codes, strict=True))}
