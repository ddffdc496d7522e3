#!/usr/bin/env python3
"""Where a request's CPU goes, layer by layer, without sockets: the guide for a performance pass.

    python bench/layers.py [--requests 5000] [--rounds 3] [--target hello_async]

Each configuration runs in its own fresh interpreter (bench/.venvs/lastword), pinned to core 1,
and feeds the same keep-alive request to a protocol object many times over a fake transport (no
system calls, no event-loop polling): what is measured is the Python (and C) of one layer stack.
CPU time per request, best of 7 batches, median over the rounds (configurations interleaved):

  uvicorn     uvicorn's httptools protocol + a bare ASGI hello app (what the bare server runs)
  front       lastword's protocol and server (src/lastword/_serving) + the same bare app
  lastword    the whole of lastword serving --target T of bench/functions/main.py (tracking on,
              request log off): app, invoker, adapter, lifecycle, Send, on the tracking loop
  worker      the same as a worker process of ``lastword serve`` runs it: with its channel to a
              supervisor (the shared table written per invocation; the activity count after an
              idle report) and the idle check of ``--cpu request``

``lastword - front`` is what lastword's layers above the server cost per request; ``front -
uvicorn`` what its own HTTP/1.1 front costs against uvicorn's. With sockets add the write and
the event loop's polling, the same for every server (bench/RESULTS.md, "Reading these runs").
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _venvs  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

_COMMON = r'''
import asyncio, os, sys, time

class Transport:
    def __init__(self):
        self.writes = 0
        self.last = b""
    def write(self, data):
        self.writes += 1
        self.last = data
    def get_extra_info(self, name, default=None):
        return {"peername": ("127.0.0.1", 5555), "sockname": ("127.0.0.1", 8080)}.get(name, default)
    def pause_reading(self): pass
    def resume_reading(self): pass
    def is_closing(self): return False
    def close(self): pass
    def get_write_buffer_size(self): return 0
    def set_write_buffer_limits(self, *args, **kwargs): pass

async def bare_app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", b"13")]})
    await send({"type": "http.response.body", "body": b"Hello, World!"})

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
N = int(sys.argv[1])

async def measure(protocol, transport):
    async def run(n):
        for _ in range(n):
            protocol.data_received(REQUEST)
            while not transport.last.endswith(b"Hello, World!"):
                await asyncio.sleep(0)
            transport.last = b""
    await run(300)
    best = float("inf")
    for _ in range(7):
        started = time.process_time()
        await run(N)
        best = min(best, (time.process_time() - started) / N)
    print(best * 1e6)

def run(make_protocol, loop):
    """Serve one fake connection with the protocol ``make_protocol()`` builds, and measure it."""
    async def main():
        protocol = await make_protocol()
        transport = Transport()
        protocol.connection_made(transport)
        await measure(protocol, transport)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main())
'''

UVICORN = _COMMON + r'''
import uvloop
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

async def make():
    config = Config(bare_app, http="httptools", loop="none", lifespan="off", access_log=False,
                    log_level="warning")
    config.load()
    return HttpToolsProtocol(config=config, server_state=ServerState(), app_state={})

run(make, uvloop.new_event_loop())
'''

FRONT = _COMMON + r'''
import uvloop
from lastword._instance import Instance
from lastword._serving.protocol import HttpProtocol
from lastword._serving.server import Server

class App:
    instance = Instance(80, 80)
    async def startup(self): pass
    async def __call__(self, scope, receive, send):
        await bare_app(scope, receive, send)

async def make():
    server = Server(App())
    await server.start()
    return HttpProtocol(server)

run(make, uvloop.new_event_loop())
'''

LASTWORD = _COMMON + r'''
from lastword import _logging, _tracking
from lastword._config import Config
from lastword._loader import load
from lastword._serving.protocol import HttpProtocol
from lastword._serving.server import build

config = Config.build(env={**os.environ, "LASTWORD_REQUEST_LOG": "off"}, flags={
    "source": sys.argv[2], "target": sys.argv[3], "host": "127.0.0.1", "port": 0})
_logging.configure(config)
loaded, config = load(config)
_tracking.install()
app, server = build(loaded, config)

async def make():
    await server.start()
    return HttpProtocol(server)

run(make, _tracking.new_event_loop())
'''

WORKER = LASTWORD.replace("app, server = build(loaded, config)", r'''
import socket
from lastword._serving.channel import Table, WorkerChannel
from lastword._serving.worker import Worker

supervisor_end, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
worker_end.setblocking(False)  # as a worker's (Worker.run): an unread message is dropped
table = Table.create(max(1, config.concurrency))
channel = WorkerChannel(worker_end, table)
app, server = build(loaded, config, channel=channel, main_thread=True)
worker = Worker(config, app, server, channel, table)
server.on_activity = worker.reached
app.instance.on_idle = worker.idle_soon
app.lifecycle.freezes = table.freezes
''')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5000, help="per batch (default 5000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--target", default="hello_async",
                        help="the function of bench/functions/main.py for 'lastword' (default "
                             "hello_async; the others answer 'Hello, World!' too: hello_sync)")
    args = parser.parse_args()
    setup: list[str] = []
    python = _venvs.lastword_python(setup)
    source = str(REPO / "bench" / "functions" / "main.py")
    configs = {"uvicorn": (UVICORN, []), "front": (FRONT, []),
               "lastword": (LASTWORD, [source, args.target]),
               "worker": (WORKER, [source, args.target])}
    found: dict[str, list[float]] = {name: [] for name in configs}
    for round_ in range(args.rounds):
        names = list(configs) if round_ % 2 == 0 else list(configs)[::-1]
        for name in names:
            code, extra = configs[name]
            out = subprocess.run(
                ["taskset", "-c", "1", python, "-c", code, str(args.requests), *extra],
                capture_output=True, text=True, timeout=600, cwd=REPO,
            )
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                return 1
            found[name].append(float(out.stdout.strip().splitlines()[-1]))
            print(f"[{round_ + 1}/{args.rounds}] {name:8s} {found[name][-1]:6.1f} µs", flush=True)
    median = {name: statistics.median(values) for name, values in found.items()}
    print()
    print(f"CPU per request without sockets ({args.target}; median of {args.rounds} rounds, each "
          f"the best of 7 batches of {args.requests}):")
    for name, value in median.items():
        print(f"  {name:8s} {value:6.1f} µs")
    print(f"  lastword - front   = {median['lastword'] - median['front']:5.1f} µs  "
          "(the layers above the server)")
    print(f"  worker - lastword  = {median['worker'] - median['lastword']:5.1f} µs  "
          "(a worker's channel to its supervisor)")
    print(f"  front - uvicorn    = {median['front'] - median['uvicorn']:5.1f} µs  "
          "(lastword's HTTP/1.1 front against uvicorn's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
