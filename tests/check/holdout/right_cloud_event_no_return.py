import functions_framework
from google.cloud import firestore

db = firestore.Client()


@functions_framework.cloud_event
def on_user_deleted(cloud_event):
    uid = cloud_event.data["uid"]
    batch = db.batch()
    for doc in db.collection("posts").where("author", "==", uid).stream():
        batch.delete(doc.reference)
    batch.commit()
    print(f"deleted posts of {uid}")
