import functions_framework
from flask import after_this_request


def stream_to_bigquery(row: dict) -> None:
    ...


@functions_framework.http
def track(request):
    row = request.get_json()

    @after_this_request
    def export(response):
        stream_to_bigquery(row)
        return response

    return "tracked"
