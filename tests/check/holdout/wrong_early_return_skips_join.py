import threading

import functions_framework
from flask import jsonify
from google.cloud import storage

gcs = storage.Client()


def backup(path: str, data: bytes) -> None:
    gcs.bucket("backups").blob(path).upload_from_string(data)


@functions_framework.http
def save_document(request):
    doc = request.get_data()
    name = request.args.get("name", "untitled")
    uploader = threading.Thread(target=backup, args=(f"docs/{name}", doc))  # expect: LW104
    uploader.start()
    if len(doc) < 1024:
        return jsonify({"saved": name, "size": len(doc)})
    checksum = sum(doc) % 65521
    uploader.join()
    return jsonify({"saved": name, "checksum": checksum})
