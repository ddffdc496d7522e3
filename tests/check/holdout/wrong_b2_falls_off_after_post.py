import logging

import functions_framework
from google.cloud import firestore

db = firestore.Client()


@functions_framework.http
def feedback(request):  # expect: LW302
    if request.method != "POST":
        return "only POST", 405
    entry = request.get_json()
    db.collection("feedback").add(entry)
    logging.info("stored feedback from %s", entry.get("email"))
