import time

import functions_framework
from flask import after_this_request, jsonify
from google.cloud import bigquery

bq = bigquery.Client()


@functions_framework.http
def search(request):
    query = request.args.get("q", "")
    started = time.monotonic()
    results = [r for r in ["alpha", "beta", "gamma"] if query in r]

    @after_this_request
    def log_search(response):
        bq.insert_rows_json("analytics.searches", [{"q": query, "ms": (time.monotonic() - started) * 1000}])
        return response

    return jsonify(results)
