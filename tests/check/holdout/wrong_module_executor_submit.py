import smtplib
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import functions_framework

executor = ThreadPoolExecutor(max_workers=4)


def send_receipt(to: str, order_id: str) -> None:
    msg = EmailMessage()
    msg["To"] = to
    msg["Subject"] = f"Receipt for order {order_id}"
    msg.set_content("Thanks for your order!")
    with smtplib.SMTP("smtp.example.com") as smtp:
        smtp.send_message(msg)


@functions_framework.http
def place_order(request):
    order = request.get_json()
    order_id = order["id"]
    executor.submit(send_receipt, order["email"], order_id)  # expect: LW103
    return {"order_id": order_id, "status": "placed"}
