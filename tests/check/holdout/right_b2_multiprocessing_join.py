import multiprocessing

import functions_framework


def checksum(path: str, out) -> None:
    out.put((path, 42))


@functions_framework.http
def checksums(request):
    paths = request.get_json()["paths"]
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=checksum, args=(p, queue)) for p in paths]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return dict(queue.get() for _ in paths)
