"""A legacy (background) event function: a file uploaded to Cloud Storage.

    lastword serve examples/event/main.py --target on_upload --signature-type event
    lastword call http://127.0.0.1:8080 --kind storage --mode legacy
"""

import lastword

@lastword.event
def on_upload(data, context):
    """``data`` is the object's metadata, ``context`` has event_id, timestamp, event_type and
    resource. A CloudEvent sent to it is converted, as the platform does."""
    size = data.get("size", "?")
    print(f"{context.event_type} {context.event_id}: gs://{data['bucket']}/{data['name']} ({size} bytes)")
