import threading

import functions_framework

REGIONS = ("us", "eu", "asia")


def replicate(region: str, key: str, value: str) -> None:
    ...


@functions_framework.http
def put(request):
    key, value = request.args["key"], request.args["value"]
    workers = {}
    for region in REGIONS:
        workers[region] = threading.Thread(target=replicate, args=(region, key, value))
        workers[region].start()
    for worker in workers.values():
        worker.join()
    return {"replicated": list(workers)}
