import asyncio
import threading
import logging
import concurrent.futures as cf
from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED

import functions_framework
import functions_framework.aio
from flask import Flask, jsonify, make_response, Response
from google.cloud import pubsub_v1, storage
from starlette.responses import JSONResponse

logger = logging.getLogger(__name__)
publisher = pubsub_v1.PublisherClient()
pool = ThreadPoolExecutor(max_workers=4)


# W1: publish inside a loop without result
@functions_framework.http
def w1(request):
    for msg in request.get_json()["messages"]:
        publisher.publish("projects/p/topics/t", msg.encode(), origin="w1")  # expect: LW103
    return "ok"


# R1: publish futures collected then result in comprehension
@functions_framework.http
def r1(request):
    futures = [publisher.publish("t", m.encode()) for m in request.get_json()["messages"]]
    ids = [f.result() for f in futures]
    return jsonify(ids)


# W2: thread in try, joined only in except
@functions_framework.http
def w2(request):
    try:
        t = threading.Thread(target=print)  # expect: LW104
        t.start()
    except RuntimeError:
        t.join()
        return "failed", 500
    return "ok"


# R2: future from submit waited with wait() + return_when ALL default
@functions_framework.http
def r2(request):
    futs = {pool.submit(len, x) for x in request.args}
    done, _ = wait(futs)
    return {"n": len(done)}


# W3: async entry: run_in_executor via helper not awaited 
def offload(loop, fn):
    return loop.run_in_executor(None, fn)


@functions_framework.aio.http
async def w3(request):
    loop = asyncio.get_running_loop()
    offload(loop, lambda: None)  # expect: LW103
    return JSONResponse({})


# R3: async entry awaits helper-returned future
@functions_framework.aio.http
async def r3(request):
    loop = asyncio.get_running_loop()
    await offload(loop, lambda: None)
    return JSONResponse({})


# W4: conditional early return before await
async def audit():
    ...


@functions_framework.aio.http
async def w4(request):
    task = asyncio.create_task(audit())  # expect: LW101
    if request.query_params.get("fast"):
        return JSONResponse({"fast": True})
    await task
    return JSONResponse({})


# R4: early return cancels task
@functions_framework.aio.http
async def r4(request):
    task = asyncio.create_task(audit())
    if request.query_params.get("fast"):
        task.cancel()
        return JSONResponse({"fast": True})
    await task
    return JSONResponse({})


# R5: tasks dict gathered via values()
@functions_framework.aio.http
async def r5(request):
    tasks = {}
    for name in ("a", "b"):
        tasks[name] = asyncio.create_task(audit())
    await asyncio.gather(*tasks.values())
    return JSONResponse({})


# R6: executor via with + map consumed inside with, returning inside
@functions_framework.http
def r6(request):
    with cf.ThreadPoolExecutor() as ex:
        return {"r": list(ex.map(str, [1, 2]))}


# W5: sync entry calls async helper (coroutine never awaited)
@functions_framework.http
def w5(request):
    audit()  # expect: LW401
    return "ok"


# R7: Flask response call_on_close with a cheap close
@functions_framework.http
def r7(request):
    f = open("/tmp/x")
    resp = Response(f, mimetype="text/plain")
    resp.call_on_close(f.close)
    return resp


# W6: storage upload in thread pool submit in helper; not waited
def save_async(data):
    return pool.submit(storage.Client().bucket("b").blob("x").upload_from_string, data)


@functions_framework.http
def w6(request):
    save_async(request.get_data())  # expect: LW103
    return "ok"


# R8: helper-returned future result()
@functions_framework.http
def r8(request):
    save_async(request.get_data()).result()
    return "ok"


# R9: thread joined via list comprehension of join
@functions_framework.http
def r9(request):
    ts = [threading.Thread(target=print) for _ in range(3)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return "ok"


# W8: returns None explicitly in one branch
@functions_framework.http
def w8(request):
    if request.method == "HEAD":
        return None  # expect: LW302
    return "ok"
