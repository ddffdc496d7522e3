import multiprocessing

import functions_framework


def crunch(n: int) -> None:
    ...


@functions_framework.http
def compute(request):
    procs = [multiprocessing.Process(target=crunch, args=(n,)) for n in (10, 20)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return "computed"
