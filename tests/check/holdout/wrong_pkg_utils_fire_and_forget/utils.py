import json
import threading
import time

import requests

METRICS_ENDPOINT = "https://metrics.internal/api/v1/series"


def parse_event(request):
    try:
        return json.loads(request.get_data())
    except ValueError:
        return None


def _post_metric(name, value, tags):
    requests.post(
        METRICS_ENDPOINT,
        json={"metric": name, "points": [[time.time(), value]], "tags": tags},
        timeout=5,
    )


def record_metric(name, value, tags=None):
    worker = threading.Thread(target=_post_metric, args=(name, value, tags or {}))  # expect: LW104
    worker.start()
