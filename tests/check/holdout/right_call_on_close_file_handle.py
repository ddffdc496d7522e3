import functions_framework
from flask import Response
from google.cloud import storage

bucket = storage.Client().bucket("big-exports")


@functions_framework.http
def download_export(request):
    name = request.args["name"]
    blob = bucket.blob(f"exports/{name}")
    fh = blob.open("rb")
    response = Response(iter(lambda: fh.read(64 * 1024), b""), mimetype="application/octet-stream")
    response.call_on_close(fh.close)
    return response
