import functions_framework
from publishing import publish_all


@functions_framework.http
def import_rows(request):
    rows = request.get_json()["rows"]
    futures = publish_all(rows)
    ids = [f.result(timeout=60) for f in futures]
    return {"message_ids": ids}
