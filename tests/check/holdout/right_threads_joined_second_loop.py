import threading

import functions_framework
from google.cloud import storage

bucket = storage.Client().bucket("reports")


def upload(name: str, body: str) -> None:
    bucket.blob(name).upload_from_string(body)


@functions_framework.http
def publish_reports(request):
    reports = request.get_json()["reports"]
    threads = []
    for report in reports:
        thread = threading.Thread(target=upload, args=(report["name"], report["body"]))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return {"uploaded": len(threads)}
