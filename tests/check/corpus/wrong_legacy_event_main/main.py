import base64
from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor()


def store(text: str) -> None:
    ...


def process(event, context):
    text = base64.b64decode(event["data"]).decode()
    executor.submit(store, text)  # expect: LW103
