import functions_framework

from workers import send_async


@functions_framework.http
def ingest(request):
    batch = request.get_json()["rows"]
    worker = send_async(batch)
    count = len(batch)
    worker.join()
    return {"rows": count}
