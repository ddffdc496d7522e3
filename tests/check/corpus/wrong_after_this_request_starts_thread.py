import threading

import functions_framework
from flask import after_this_request


def audit(path: str, status: int) -> None:
    ...


@functions_framework.http
def download(request):
    @after_this_request
    def record(response):
        threading.Thread(target=audit, args=(request.path, response.status_code)).start()  # expect: LW104
        return response

    return "file contents"
