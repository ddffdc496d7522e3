import threading

import functions_framework


def download(url: str) -> None:
    ...


@functions_framework.http
def mirror(request):
    for url in request.get_json()["urls"]:
        t = threading.Thread(target=download, args=(url,))  # expect: LW104
        t.start()
    t.join()
    return "mirrored"
