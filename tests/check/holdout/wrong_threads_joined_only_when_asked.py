import threading

import functions_framework
import requests


def ping(url: str, results: dict) -> None:
    results[url] = requests.head(url, timeout=5).status_code


@functions_framework.http
def healthcheck(request):
    urls = request.get_json()["urls"]
    results: dict = {}
    threads = []
    for url in urls:
        t = threading.Thread(target=ping, args=(url, results))  # expect: LW104
        t.start()
        threads.append(t)
    if request.args.get("wait") == "1":
        for t in threads:
            t.join()
        return {"results": results}
    return {"checking": len(urls)}, 202
