"""Store a generated report; the upload is slow, so the caller gets 202 straight away."""

import json
import threading

from google.cloud import storage

import lastword

bucket = storage.Client().bucket("eval-reports")


@lastword.http
def upload_report(request):
    report = request.get_json(silent=True) or {}
    name = f"reports/{report.get('id', 'unknown')}.json"
    blob = bucket.blob(name)
    uploader = threading.Thread(
        target=blob.upload_from_string,
        args=(json.dumps(report),),
        kwargs={"content_type": "application/json"},
        daemon=True,
    )
    uploader.start()
    return {"accepted": name}, 202
