import threading

from google.cloud import firestore

import lastword

db = firestore.Client()


def bump_counter(bucket: str) -> None:
    db.collection("counters").document(bucket).set({"uploads": firestore.Increment(1)}, merge=True)


@lastword.cloud_event
def on_object_finalized(cloud_event):
    bucket = cloud_event.data["bucket"]
    name = cloud_event.data["name"]
    print(f"new object gs://{bucket}/{name}")
    threading.Thread(target=bump_counter, args=(bucket,)).start()  # expect: LW104
