import concurrent.futures
import logging

import functions_framework

executor = concurrent.futures.ThreadPoolExecutor(max_workers=4)


def resize(blob_name: str) -> str:
    ...


@functions_framework.http
def resize_image(request):
    future = executor.submit(resize, request.args["blob"])  # expect: LW103
    try:
        url = future.result(timeout=10)
    except concurrent.futures.TimeoutError:
        logging.warning("resize is slow, answering without it")
        return {"status": "pending"}, 202
    return {"url": url}
