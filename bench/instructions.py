#!/usr/bin/env python3
"""Instructions per request, counted: a measure of the per-request path that machine noise cannot move.

    python bench/instructions.py [--target hello_async] [--only bare,front,lastword]

Each server runs under valgrind's callgrind on loopback and is sent the same keep-alive ``GET /``
over 10 connections by a raw-socket client: first 300 requests, then (in a fresh server) 1,300.
The difference of the two totals over 1,000 is the user-space instructions one request costs in
the busiest process (a worker of ``lastword serve``), start-up and shutdown cancelled out. The
kernel's share (the socket read and write) is not counted, and is the same for every server
(lastword writes a response in one system call, uvicorn in two).

  bare      uvicorn + uvloop + httptools serving the bare ASGI hello app (bench/_embed_uvicorn.py)
  front     lastword's HTTP/1.1 server (src/lastword/_serving) serving the same bare app
  lastword  lastword serve bench/functions/main.py --target T, default configuration

Throughput on these shared machines moves by ±20 % between runs of the same server; the count
moves by under 0.5 %. Use it to compare two versions of the per-request path (``PYTHONPATH`` at
a checkout's ``src`` serves that checkout), and confirm with ``bench/run.py``. Under valgrind a
process runs about 50 times slower, so a timer fires 50 times more often per request than at full
speed: lastword's idle check (every 5 ms of idleness) adds a few thousand instructions per request
here that it does not cost at full speed. Needs valgrind (``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _venvs  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

FRONT = r'''
import asyncio, socket, sys
import uvloop
from lastword._instance import Instance
from lastword._serving.server import Server

class App:
    instance = Instance(80, 80)
    async def startup(self): pass
    async def __call__(self, scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", b"13")]})
        await send({"type": "http.response.body", "body": b"Hello, World!"})

async def main():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1])))
    sock.listen(128)
    server = Server(App())
    await server.start()
    await server.listen(sock)
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(15, stop.set_result, None)
    await stop

uvloop.run(main())
'''

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
CONNECTIONS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _send(port: int, count: int) -> None:
    """``count`` requests over CONNECTIONS keep-alive connections, one in flight on each."""
    connections = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(CONNECTIONS)]
    try:
        done = 0
        while done < count:
            for connection in connections:
                connection.sendall(REQUEST)
            for connection in connections:
                received = b""
                while b"Hello, World!" not in received:
                    chunk = connection.recv(65536)
                    if not chunk:
                        raise RuntimeError("the server closed a connection")
                    received += chunk
            done += CONNECTIONS
    finally:
        for connection in connections:
            connection.close()


def _count(argv: list[str], port: int, requests: int, out: str) -> int:
    """Instructions of the busiest process of ``argv`` serving ``requests`` (plus a warm-up)."""
    env = {**os.environ, "LASTWORD_REQUEST_LOG": "off", "PYTHONMALLOC": "malloc"}
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p", *argv],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _send(port, CONNECTIONS)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"{argv[0]} did not start under valgrind") from None
                time.sleep(0.2)
        _send(port, 100)  # warm: every code path of a request taken, caches filled
        _send(port, requests)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    totals = []
    for path in glob.glob(out + ".*"):
        match = re.search(r"^(?:summary|totals):\s*(\d+)", Path(path).read_text(), re.M)
        if match:
            totals.append(int(match.group(1)))
    if not totals:
        raise RuntimeError("callgrind wrote no totals")
    return max(totals)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", default="hello_async",
                        help="the function of bench/functions/main.py lastword serves "
                             "(it must answer 'Hello, World!'; default hello_async)")
    parser.add_argument("--only", default="bare,front,lastword", help="configurations, comma-separated")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    setup: list[str] = []
    python = _venvs.lastword_python(setup)
    lastword = str(Path(python).parent / "lastword")
    source = str(REPO / "bench" / "functions" / "main.py")
    configs = {
        "bare": lambda port: [python, str(REPO / "bench" / "_embed_uvicorn.py"), "asgi_hello", str(port)],
        "front": lambda port: [python, "-c", FRONT, str(port)],
        "lastword": lambda port: [lastword, "serve", source, "--target", args.target,
                                  "--host", "127.0.0.1", "--port", str(port)],
    }
    found: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.only.split(","):
            make = configs[name]
            port = _free_port()
            few = _count(make(port), port, 300, f"{scratch}/{name}.few")
            port = _free_port()
            many = _count(make(port), port, 1300, f"{scratch}/{name}.many")
            found[name] = (many - few) / 1000
            print(f"{name:9s} {found[name]:9,.0f} instructions per request", flush=True)
    if "bare" in found and "lastword" in found:
        print(f"bare / lastword = {found['bare'] / found['lastword']:.2f}  "
              "(the throughput ratio's target is >= 0.75)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
