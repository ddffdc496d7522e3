"""Background function: when a user is deleted, purge their data and audit it."""

import base64
import json

from helpers import audit

_profiles = {"u1": {"name": "Ada"}, "u2": {"name": "Grace"}}


def on_user_deleted(data, context):
    user = json.loads(base64.b64decode(data["data"]))
    user_id = user.get("id", "u1")
    removed = _profiles.pop(user_id, None) is not None
    audit.record("user.deleted", user=user_id, removed=removed, event=context.event_id)
