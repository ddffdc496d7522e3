import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import functions_framework
from cloudevents.http import CloudEvent
from google.cloud import firestore, pubsub_v1

db = firestore.Client()
publisher = pubsub_v1.PublisherClient()
executor = ThreadPoolExecutor()


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self._flusher = None

    def incr(self, name):
        with self._lock:
            pass
        if self._flusher is None:
            self._flusher = threading.Thread(target=self._flush_loop, daemon=True)  # expect: LW104
            self._flusher.start()

    def _flush_loop(self):
        while True:
            time.sleep(10)


metrics = Metrics()


@functions_framework.cloud_event
def on_doc(cloud_event: CloudEvent):
    metrics.incr("docs")
    doc = db.collection("x").document(cloud_event.data["id"]).get()
    if not doc.exists:
        return
    fut = executor.submit(print, doc.to_dict())
    try:
        fut.result(timeout=10)
    except TimeoutError:
        fut.cancel()
        raise


@functions_framework.http
def health(request):
    return "ok", 200


@functions_framework.http
def slow(request):
    start = time.time()
    while time.time() - start < 1:
        time.sleep(0.1)
    else:
        return "done"


@functions_framework.http
def dispatch(request):
    handlers = {"a": handle_a, "b": handle_b}
    handler = handlers.get(request.args.get("h"))
    if handler is None:
        return "unknown", 404
    return handler(request)


def handle_a(request):
    return "a"


def handle_b(request):
    return "b"


@functions_framework.http
def pubsub_batch(request):
    futures = {}
    for i, msg in enumerate(request.get_json()):
        futures[i] = publisher.publish("t", msg.encode())
    for f in futures.values():
        f.result()
    return "ok"


@functions_framework.http
def nohup(request):
    os.system(f"nohup python job.py {request.args['id']} &")  # expect: LW105
    return "ok"


async def _fetch(u):
    ...


@functions_framework.http
def sync_with_loop(request):
    loop = asyncio.new_event_loop()
    try:
        return str(loop.run_until_complete(asyncio.gather(_fetch("a"), _fetch("b"))))
    finally:
        loop.close()


@functions_framework.http
def thread_with_timeout_join(request):
    t = threading.Thread(target=print)
    t.start()
    t.join(5)
    if t.is_alive():
        return "still running", 504     # arguably W, but we accept join(timeout) as finished
    return "ok"


@functions_framework.http
def early_exit_guard(request):
    if request.method != "POST":
        return "method not allowed", 405
    payload = request.get_json(silent=True) or {}
    threads = []
    for item in payload.get("items", []):
        th = threading.Thread(target=print, args=(item,))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    return {"n": len(threads)}
