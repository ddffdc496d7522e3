import concurrent.futures

import functions_framework
import requests

executor = concurrent.futures.ThreadPoolExecutor(max_workers=8)


def fetch_price(sku: str) -> float:
    return requests.get(f"https://prices.example/{sku}", timeout=5).json()["price"]


@functions_framework.http
def prices(request):
    skus = request.args.getlist("sku")
    future_to_sku = {executor.submit(fetch_price, sku): sku for sku in skus}
    out = {}
    for future in concurrent.futures.as_completed(future_to_sku):
        sku = future_to_sku[future]
        try:
            out[sku] = future.result()
        except Exception as exc:
            out[sku] = f"error: {exc}"
    return out
