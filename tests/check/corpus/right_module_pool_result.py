from concurrent.futures import ThreadPoolExecutor

import functions_framework

POOL = ThreadPoolExecutor(max_workers=4)


def score(text: str) -> float:
    return 0.5


@functions_framework.http
def classify(request):
    texts = request.get_json()["texts"]
    futs = [POOL.submit(score, t) for t in texts]
    scores = [f.result() for f in futs]
    return {"scores": scores}
