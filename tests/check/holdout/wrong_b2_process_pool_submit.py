from concurrent.futures import ProcessPoolExecutor

import functions_framework

process_pool = ProcessPoolExecutor(max_workers=2)


def build_index(corpus_id: str) -> int:
    return len(corpus_id)


@functions_framework.http
def reindex(request):
    corpus_id = request.args.get("corpus", "default")
    process_pool.submit(build_index, corpus_id)  # expect: LW103
    return "reindex scheduled", 202
