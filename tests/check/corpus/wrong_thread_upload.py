import threading

import functions_framework
from google.cloud import storage

client = storage.Client()


def upload(name: str, data: bytes) -> None:
    client.bucket("uploads").blob(name).upload_from_string(data)


@functions_framework.http
def receive(request):
    data = request.get_data()
    threading.Thread(target=upload, args=("latest.bin", data)).start()  # expect: LW104
    return "accepted", 202
