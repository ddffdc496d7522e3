import logging
import threading

from google.cloud import storage

client = storage.Client()


def archive(bucket_name: str, name: str, text: str) -> None:
    client.bucket(bucket_name).blob(name).upload_from_string(text)
    logging.info("archived %s", name)


def hello_http(request):
    request_json = request.get_json(silent=True)
    name = (request_json or {}).get("name", "World")
    t = threading.Thread(target=archive, args=("greetings-archive", f"{name}.txt", name))  # expect: LW104
    t.start()
    return f"Hello {name}!"
