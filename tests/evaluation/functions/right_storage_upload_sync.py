"""Save a note as a JSON object in Cloud Storage."""

import json
import uuid

from google.cloud import storage

import lastword

storage_client = storage.Client()


@lastword.http
def save_note(request):
    note = request.get_json(silent=True)
    if not note or "text" not in note:
        return {"error": "send a JSON object with a 'text' field"}, 400
    name = f"notes/{uuid.uuid4().hex}.json"
    blob = storage_client.bucket("eval-notes").blob(name)
    blob.upload_from_string(json.dumps(note), content_type="application/json")
    return {"saved": name}, 201
