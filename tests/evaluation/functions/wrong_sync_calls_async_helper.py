"""Create an account and send the welcome e-mail."""

import uuid

from helpers import mailer


def create_account(request):
    form = request.get_json(silent=True) or {}
    email = form.get("email")
    if not email:
        return {"error": "e-mail is required"}, 400
    account_id = uuid.uuid4().hex
    mailer.send_welcome(email, form.get("name", "there"))
    return {"account": account_id}, 201
