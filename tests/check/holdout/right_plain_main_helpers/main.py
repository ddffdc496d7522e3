import json
from concurrent.futures import ThreadPoolExecutor

from google.cloud import storage

client = storage.Client()


def load(request):
    data = request.get_json(silent=True) or {}
    return data.get("names", [])


def read(name):
    return client.bucket("configs").blob(name).download_as_text()


def get_configs(request):
    names = load(request)
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(read, names))
    return json.dumps(dict(zip(names, texts, strict=False))), 200, {"Content-Type": "application/json"}
