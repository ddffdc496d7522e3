import multiprocessing

import functions_framework


def score(text: str) -> int:
    return sum(ord(c) for c in text) % 100


@functions_framework.http
def batch_score(request):
    texts = request.get_json()["texts"]
    with multiprocessing.Pool(processes=2) as pool:
        scores = pool.map(score, texts)
    return {"scores": scores}
