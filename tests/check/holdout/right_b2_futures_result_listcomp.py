from concurrent.futures import ThreadPoolExecutor

import functions_framework
import requests

pool = ThreadPoolExecutor(max_workers=8)


def lookup(ip: str) -> dict:
    return requests.get(f"https://geoip.example/{ip}", timeout=5).json()


@functions_framework.http
def geoip_batch(request):
    ips = request.get_json()["ips"]
    futures = [pool.submit(lookup, ip) for ip in ips]
    results = [f.result() for f in futures]
    return {"results": results}
