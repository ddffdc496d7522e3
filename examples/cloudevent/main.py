"""A CloudEvent function: Pub/Sub messages, delivered by push (as Eventarc does).

    lastword serve examples/cloudevent/main.py --target on_message
    lastword call http://127.0.0.1:8080 --kind pubsub
"""

import base64
import threading
import time

import lastword


def decode(cloud_event) -> str:
    message = cloud_event.data["message"]
    return base64.b64decode(message.get("data", "")).decode()


def index(text: str) -> None:
    time.sleep(0.5)  # a slow write to a search index
    print(f"indexed {text!r}")


@lastword.cloud_event
def on_message(cloud_event):
    """Right: the work is done before returning. Returning acknowledges the message."""
    text = decode(cloud_event)
    index(text)
    print(f"{cloud_event['type']} {cloud_event['id']}: {text!r}")


@lastword.cloud_event
def on_message_in_background(cloud_event):
    """Wrong: the 200 acknowledges the message while the thread still works. On the platform the
    CPU is taken away after the response, so the indexing may never finish, and Pub/Sub will not
    deliver the message again: it was acknowledged."""
    text = decode(cloud_event)
    threading.Thread(target=index, args=(text,)).start()
