from concurrent.futures import ThreadPoolExecutor, wait

import functions_framework

pool = ThreadPoolExecutor(max_workers=8)


def warm(key: str) -> None:
    ...


@functions_framework.http
def warm_cache(request):
    futures = [pool.submit(warm, key) for key in request.get_json()["keys"]]  # expect: LW103
    wait(futures, timeout=15)
    return "warmed"
