import csv
import io

import functions_framework
from flask import make_response
from google.cloud import storage

bucket = storage.Client().bucket("exports")


@functions_framework.http
def export_csv(request):
    rows = request.get_json()["rows"]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    text = buf.getvalue()
    response = make_response(text)
    response.headers["Content-Type"] = "text/csv"
    response.call_on_close(lambda: bucket.blob("latest.csv").upload_from_string(text))  # expect: LW202
    return response
