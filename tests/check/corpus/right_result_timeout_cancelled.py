import concurrent.futures

import functions_framework

executor = concurrent.futures.ThreadPoolExecutor(max_workers=4)


def score(payload: dict) -> float:
    ...


@functions_framework.http
def predict(request):
    future = executor.submit(score, request.get_json())
    try:
        return {"score": future.result(timeout=2)}
    except concurrent.futures.TimeoutError:
        future.cancel()
        return {"error": "model too slow"}, 504
