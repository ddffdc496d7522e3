import threading
import uuid

import functions_framework
from google.cloud import storage

storage_client = storage.Client()
bucket = storage_client.bucket("user-uploads")


@functions_framework.http
def upload_avatar(request):
    file = request.files.get("avatar")
    if file is None:
        return "no file", 400
    blob = bucket.blob(f"avatars/{uuid.uuid4()}.png")
    data = file.read()
    threading.Thread(target=blob.upload_from_string, args=(data,), kwargs={"content_type": "image/png"}).start()  # expect: LW104
    return {"path": blob.name}, 202
