from concurrent.futures import ThreadPoolExecutor

import functions_framework
import requests


def check(url: str) -> tuple[str, int]:
    return url, requests.get(url, timeout=10).status_code


@functions_framework.http
def uptime(request):
    urls = request.get_json()["urls"]
    with ThreadPoolExecutor(max_workers=10) as executor:
        results = dict(executor.map(check, urls))
    return {"status": results}
