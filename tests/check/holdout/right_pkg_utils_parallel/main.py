import functions_framework
import utils
from flask import jsonify


@functions_framework.http
def sync_catalog(request):
    skus = request.get_json().get("skus", [])
    if not skus:
        return jsonify({"synced": 0})
    results = utils.fetch_all(skus)
    return jsonify({"synced": len(results), "failed": [s for s, ok in results.items() if not ok]})
