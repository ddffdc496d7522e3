import functions_framework


def store(data: dict) -> None:
    ...


@functions_framework.cloud_event
def on_message(cloud_event):
    if not cloud_event.data:
        return
    store(cloud_event.data)
