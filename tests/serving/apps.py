"""Functions that misbehave the ways production meets: they crash the process, block, leak."""

import asyncio
import ctypes
import os
import pathlib
import subprocess
import threading
import time

OUT = pathlib.Path(os.environ.get("OUT_DIR", "/tmp"))


def hello(request):
    if request.args.get("s"):
        with open(OUT / "entered", "a") as entered:  # the test waits for its requests to be in
            entered.write(".\n")
        time.sleep(float(request.args["s"]))
    return str(os.getpid())


def exits(request):
    how = request.args.get("how")
    if how == "segfault":
        ctypes.string_at(0)  # a read of address 0: SIGSEGV
    if how == "exit":
        os._exit(1)
    return str(os.getpid())


def sleeps(request):
    with open(OUT / "entered", "a") as entered:
        entered.write(".\n")
    time.sleep(float(request.args.get("s", "30")))
    return "slept"


async def sleeps_async(request):
    await asyncio.sleep(float(request.query_params.get("s", "30")))
    return "slept"


async def spins_async(request):
    """CPU-bound Python on the event loop: nothing else of this worker runs meanwhile."""
    stop = time.monotonic() + float(request.query_params.get("s", "30"))
    n = 0
    while time.monotonic() < stop:
        n += 1
    return str(n)


def holds_the_interpreter(request):
    """A C call that keeps the GIL (libc sleep through PyDLL): no thread of the worker runs."""
    ctypes.PyDLL(None).sleep(int(request.args.get("s", "30")))
    return "woke"


def progress(request):
    """Leaves a thread that appends a line every 20 ms for a while, then responds."""
    name = request.args["name"]
    if request.args.get("busy"):
        time.sleep(float(request.args["busy"]))  # a request that takes a while
        return "busy done"

    def work():
        for _ in range(int(request.args.get("ticks", "150"))):
            with open(OUT / name, "a") as out:
                out.write(f"{time.monotonic():.4f}\n")
            time.sleep(0.02)

    threading.Thread(target=work, name=f"ticker-{name}").start()
    return "ticking"


def allocates(request):
    hog = bytearray(int(request.args.get("mb", "300")) * 1024 * 1024)
    for i in range(0, len(hog), 4096):
        hog[i] = 1
    time.sleep(2)
    return str(len(hog))


def orphans(request):
    """A shell that leaves a grandchild behind (it is reparented to the supervisor)."""
    subprocess.run(["sh", "-c", "sleep 0.2 &"], check=True)
    return "done"


def method(request):
    return request.method


def wait_then_hello(request):
    time.sleep(float(request.args.get("s", "1")))
    return "waited"


def writes_after(request):
    """Responds, leaving work that takes a moment, for the shutdown report."""
    threading.Thread(target=time.sleep, args=(30,), name="abandoned-sleeper").start()
    return "left"
