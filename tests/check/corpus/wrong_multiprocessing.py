import multiprocessing

import functions_framework


def crunch(n: int) -> int:
    return sum(i * i for i in range(n))


@functions_framework.http
def compute(request):
    n = int(request.args.get("n", "1000"))
    proc = multiprocessing.Process(target=crunch, args=(n,))  # expect: LW105
    proc.start()
    return {"started": proc.pid}
