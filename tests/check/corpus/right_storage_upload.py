import json

import functions_framework
from google.cloud import storage

client = storage.Client()


@functions_framework.cloud_event
def archive(cloud_event):
    bucket = client.bucket("archive")
    blob = bucket.blob(f"events/{cloud_event['id']}.json")
    blob.upload_from_string(json.dumps(cloud_event.data), content_type="application/json")
