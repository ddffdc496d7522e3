from concurrent.futures import ThreadPoolExecutor, wait

import functions_framework

pool = ThreadPoolExecutor(max_workers=4)


def resize(path: str) -> None:
    ...


@functions_framework.http
def thumbnails(request):
    futures = [pool.submit(resize, p) for p in request.get_json()["paths"]]
    done, not_done = wait(futures, timeout=2)
    if len(not_done):
        return {"error": f"{len(not_done)} thumbnails still running"}, 504
    return {"resized": len(done)}
