import concurrent.futures

import functions_framework


def send_email(to: str) -> None:
    ...


@functions_framework.http
def invite(request):
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    for address in request.get_json()["emails"]:
        ex.submit(send_email, address)
    ex.shutdown(wait=True)
    return "invites sent"
