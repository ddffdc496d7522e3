import concurrent.futures

import functions_framework

executor = concurrent.futures.ThreadPoolExecutor(8)


def ping(url: str) -> int:
    return 200


@functions_framework.http
def healthcheck(request):
    urls = request.get_json()["urls"]
    future_to_url = {executor.submit(ping, url): url for url in urls}
    status = {}
    for future in concurrent.futures.as_completed(future_to_url):
        status[future_to_url[future]] = future.result()
    return status
