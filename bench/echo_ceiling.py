#!/usr/bin/env python3
"""Why did every runtime top out near 2k req/s on the 10 KiB JSON echo? The evidence, reproduced.

    python bench/echo_ceiling.py [--duration 5]

Serves bare ASGI apps (bench/server_apps.py, uvicorn + uvloop + httptools, pinned to core 0)
and loads them with wrk (core 1, 50 connections) and with a second client written here on
raw sockets (no wrk, no Lua), then prints for each:

  req/s, p50, p99       as the clients see them
  server CPU us/req     (utime + stime of the server process over the run) / requests
  TCP segs/req          loopback segments sent (both directions, /proc/net/snmp OutSegs)
  delayed ACKs          TcpExt DelayedACKs during the run (a 40 ms stall would show here)

and, in this process, what json.loads + json.dumps of the 10 KiB document costs. The apps:

  asgi_hello     GET, 13 bytes back
  asgi_echo_raw  POST 10 KiB, the same bytes back, not parsed
  asgi_echo      POST 10 KiB, json.loads then json.dumps (what the old echo workload did)

bench/README.md ("The 10 KiB echo ceiling") explains the result.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _bodies  # noqa: E402
import _harness as h  # noqa: E402
import _venvs as v  # noqa: E402


def tcp_counters() -> dict[str, int]:
    out: dict[str, int] = {}
    for path, prefix in (("/proc/net/snmp", "Tcp:"), ("/proc/net/netstat", "TcpExt:")):
        with open(path) as f:
            rows = [line.split() for line in f if line.startswith(prefix)]
        for names, values in zip(rows[::2], rows[1::2], strict=True):
            out.update({n: int(x) for n, x in zip(names[1:], values[1:], strict=True)})
    return out


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_client(port: int, body: bytes, connections: int, duration: float) -> tuple[int, float]:
    """Keep-alive POSTs on raw sockets (TCP_NODELAY), one request in flight per connection."""
    head = (
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    request = head + body
    sel = selectors.DefaultSelector()
    buffers: dict[socket.socket, bytes] = {}
    for _ in range(connections):
        s = socket.create_connection((h.HOST, port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sel.register(s, selectors.EVENT_READ)
        buffers[s] = b""
        s.sendall(request)
    done = 0
    start = time.perf_counter()
    end = start + duration
    try:
        while time.perf_counter() < end:
            for key, _ in sel.select(1.0):
                s = key.fileobj
                assert isinstance(s, socket.socket)
                data = buffers[s] + s.recv(262144)
                split = data.find(b"\r\n\r\n")
                if split < 0:
                    buffers[s] = data
                    continue
                length = int(data[:split].lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(data) < split + 4 + length:
                    buffers[s] = data
                    continue
                buffers[s] = data[split + 4 + length :]
                done += 1
                s.sendall(request)
    finally:
        for s in buffers:
            s.close()
    return done, time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=5.0)
    args = ap.parse_args()
    log: list[str] = []
    py = v.lastword_python(log)
    body = _bodies.body_10k()
    doc = json.loads(body)
    n = 2000
    # CPU time of this thread, not wall-clock: other tenants of the machine do not inflate it
    t0 = time.thread_time()
    for _ in range(n):
        json.loads(body)
    t1 = time.thread_time()
    for _ in range(n):
        json.dumps(doc).encode()
    t2 = time.thread_time()
    info = h.machine_info()
    print(f"python bench/echo_ceiling.py --duration {args.duration:g}   "
          f"({time.strftime('%Y-%m-%d %H:%M')}, loadavg {info.get('loadavg', '?')})")
    print(f"10 KiB document ({len(body)} bytes): json.loads {(t1 - t0) / n * 1e6:.0f} us, "
          f"json.dumps {(t2 - t1) / n * 1e6:.0f} us of CPU (in this process)")
    print()
    print(f"{'app':14s} {'client':22s} {'req/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s} "
          f"{'srv CPU us/req':>14s} {'TCP segs/req':>12s} {'delayed ACKs':>12s}")
    post = h.write_lua_script("echo-ceiling", "POST", body, "application/json")
    for app, script in (("asgi_hello", None), ("asgi_echo_raw", post), ("asgi_echo", post)):
        clients = [("wrk -c50", 50), ("wrk -c1", 1)]
        if script is not None:
            clients.append(("raw sockets, 10 conns", 10))
        for label, conns in clients:
            port = h.free_port()
            srv = h.start_server(f"ceiling-{app}", [py, str(h.BENCH_DIR / "_embed_uvicorn.py"),
                                                     app, str(port)], port)
            try:
                with h.pinned_to_client_cpu():
                    h.wait_ready(srv, timeout=30, probe=None if script is None
                                 else h.json_post_probe)
                    server_pid = srv.pid  # taskset execs the server: same pid
                    h.run_wrk(port, 1, script=script, warmup=0, connections=conns)
                    before, cpu0 = tcp_counters(), cpu_seconds(server_pid)
                    if label.startswith("wrk"):
                        res = h.run_wrk(port, args.duration, script=script, warmup=0,
                                        connections=conns)
                        count, rps = res.requests, res.rps
                        p50, p99 = f"{res.p50_ms:7.2f}", f"{res.p99_ms:7.2f}"
                    else:
                        count, elapsed = raw_client(port, body, conns, args.duration)
                        rps, p50, p99 = count / elapsed, "      –", "      –"
                    after, cpu1 = tcp_counters(), cpu_seconds(server_pid)
            finally:
                srv.stop()
            segs = (after["OutSegs"] - before["OutSegs"]) / max(count, 1)
            delayed = after.get("DelayedACKs", 0) - before.get("DelayedACKs", 0)
            print(f"{app:14s} {label:22s} {rps:8.0f} {p50} {p99} "
                  f"{(cpu1 - cpu0) / max(count, 1) * 1e6:14.0f} {segs:12.2f} {delayed:12d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
