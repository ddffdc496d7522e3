import threading

from cloudevents.http import CloudEvent
from functions_framework import cloud_event


def index_document(name: str) -> None:
    ...


@cloud_event
def on_finalize(event: CloudEvent) -> None:
    name = event.data["name"]
    t = threading.Thread(target=index_document, args=(name,), daemon=True)  # expect: LW104
    t.start()
