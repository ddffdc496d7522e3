import threading

import functions_framework
import requests


def ping(url: str, out: dict) -> None:
    try:
        out[url] = requests.get(url, timeout=4).status_code
    except requests.RequestException as exc:
        out[url] = str(exc)


@functions_framework.http
def probe(request):
    url = request.args["url"]
    out: dict = {}
    t = threading.Thread(target=ping, args=(url, out), daemon=True)  # expect: LW104
    t.start()
    t.join(timeout=5)
    return out or {"status": "timeout"}
