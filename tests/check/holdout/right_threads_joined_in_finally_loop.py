import queue
import threading

import functions_framework


def worker(q: queue.Queue, results: list) -> None:
    while True:
        item = q.get()
        if item is None:
            return
        results.append(item * 2)


@functions_framework.http
def double(request):
    numbers = request.get_json()["numbers"]
    q: queue.Queue = queue.Queue()
    results: list = []
    threads = [threading.Thread(target=worker, args=(q, results)) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for n in numbers:
            q.put(n)
    finally:
        for _ in threads:
            q.put(None)
        for t in threads:
            t.join()
    return {"results": sorted(results)}
