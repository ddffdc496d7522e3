import threading

import functions_framework


def download(url: str) -> None:
    ...


@functions_framework.http
def mirror(request):
    threads = [threading.Thread(target=download, args=(u,)) for u in request.get_json()["urls"]]  # expect: LW104
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return "mirrored"
