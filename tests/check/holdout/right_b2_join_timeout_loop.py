import threading

import functions_framework
import requests


def warm(url: str) -> None:
    requests.get(url, timeout=20)


@functions_framework.http
def warm_all(request):
    urls = request.get_json()["urls"]
    threads = [threading.Thread(target=warm, args=(u,), daemon=True) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return {"warmed": sum(1 for t in threads if not t.is_alive())}
