import threading

import functions_framework


def work(n: int) -> None:
    ...


def join_all(threads: list) -> None:
    for t in threads:
        t.join()


@functions_framework.http
def run(request):
    threads = []
    for n in range(4):
        t = threading.Thread(target=work, args=(n,))
        t.start()
        threads.append(t)
    join_all(threads)
    return "done"
