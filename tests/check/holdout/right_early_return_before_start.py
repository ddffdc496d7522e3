import threading

import functions_framework
from flask import jsonify


def index_document(doc_id: str, text: str) -> None:
    ...


def spellcheck(text: str, out: list) -> None:
    out.extend(w for w in text.split() if len(w) > 20)


@functions_framework.http
def submit(request):
    doc = request.get_json(silent=True)
    if not doc or "text" not in doc:
        return jsonify({"error": "text required"}), 400
    if len(doc["text"]) > 1_000_000:
        return jsonify({"error": "too large"}), 413
    suspicious: list = []
    checker = threading.Thread(target=spellcheck, args=(doc["text"], suspicious))
    checker.start()
    index_document(doc["id"], doc["text"])
    checker.join()
    return jsonify({"indexed": doc["id"], "suspicious_words": suspicious})
