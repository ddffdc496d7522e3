import functions_framework
from flask import make_response


def send_receipt(address: str) -> None:
    ...


@functions_framework.http
def pay(request):
    payload = request.get_json()
    response = make_response({"paid": True})

    @response.call_on_close  # expect: LW202
    def after():
        send_receipt(payload["email"])

    return response
