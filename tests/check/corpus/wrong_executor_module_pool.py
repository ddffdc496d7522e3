from concurrent.futures import ThreadPoolExecutor

import functions_framework

POOL = ThreadPoolExecutor(max_workers=4)


def resize(blob_name: str) -> None:
    ...


@functions_framework.cloud_event
def on_upload(cloud_event):
    name = cloud_event.data["name"]
    POOL.submit(resize, name)  # expect: LW103
