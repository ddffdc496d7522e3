from concurrent.futures import ThreadPoolExecutor

import functions_framework


def resize(name: str, size: int) -> None:
    ...


@functions_framework.cloud_event
def on_upload(cloud_event):
    name = cloud_event.data["name"]
    with ThreadPoolExecutor(max_workers=3) as ex:
        for size in (64, 256, 1024):
            ex.submit(resize, name, size)
