import multiprocessing

import lastword


def crunch(dataset: str) -> None:
    total = 0
    for i in range(10_000_000):
        total += i
    print(dataset, total)


@lastword.http
def start_job(request):
    dataset = request.args.get("dataset", "default")
    proc = multiprocessing.Process(target=crunch, args=(dataset,))  # expect: LW105
    proc.start()
    return {"job": proc.pid}
