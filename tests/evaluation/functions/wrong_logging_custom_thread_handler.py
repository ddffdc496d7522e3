"""Sign-up endpoint; warnings go to the ops webhook through a non-blocking log handler."""

import logging
import os
import sys
import threading

import httpx

BACKEND = os.environ.get("EVAL_BACKEND_URL", "http://127.0.0.1:8099")


class WebhookHandler(logging.Handler):
    """Posts each record to a webhook from a thread, so logging never blocks the caller."""

    def __init__(self, url):
        super().__init__(level=logging.WARNING)
        self.url = url

    def emit(self, record):
        payload = {"text": self.format(record), "level": record.levelname}
        threading.Thread(target=self._post, args=(payload,), daemon=True).start()

    def _post(self, payload):
        try:
            httpx.post(self.url, json=payload, params={"delay": "0.8"}, timeout=5)
        except httpx.HTTPError as exc:
            print(f"ops webhook failed: {exc}", file=sys.stderr)


logger = logging.getLogger("signup")
logger.addHandler(WebhookHandler(f"{BACKEND}/hooks/ops"))


def signup(request):
    form = request.get_json(silent=True) or {}
    email = form.get("email", "")
    if "@" not in email:
        logger.warning("sign-up rejected: invalid e-mail %r", email)
        return {"error": "invalid e-mail address"}, 400
    return {"welcome": email}, 201
