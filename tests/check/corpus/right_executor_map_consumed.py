from concurrent.futures import ThreadPoolExecutor

import functions_framework

executor = ThreadPoolExecutor(8)


def ping(url: str) -> int:
    return 200


@functions_framework.http
def healthcheck(request):
    urls = request.get_json()["urls"]
    codes = list(executor.map(ping, urls))
    return {"codes": codes}
