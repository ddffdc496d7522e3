#!/usr/bin/env python3
"""CloudEvents per second: lastword against functions-framework 3.10.2, in the same run.

    python bench/cloudevent_bench.py [--duration 10] [--warmup 2] [--rounds 3] [--quick]

Workload: a CloudEvent in binary content mode (ce-* headers, 1 KiB of JSON data,
bench/cloudevent_binary.lua) POSTed to a function that reads the event's data and returns
(bench/functions/cloudevent_main.py), sync and async:

  lastword   ce_sync   lastword serve ... --signature-type cloudevent
  ff         ce_sync   functions-framework ... --signature-type cloudevent (gunicorn, Flask)
  lastword   ce_async  lastword serve ... --signature-type cloudevent
  ff-asgi    ce_async  functions-framework ... --signature-type cloudevent --asgi

Method (as bench/run.py): the server's process tree pinned to core 0, ``wrk -t1 -c50`` pinned
to core 1, a warm-up then a timed run; each answer is checked (200 "OK") before timing; the
rounds alternate the order of the runtimes and the medians are reported, with the ratio
lastword / functions-framework of each workload. Also reported: the CPU time the server's process
tree spent per request during the timed run (user + system, from /proc), and its ratio: on a
shared, noisy machine req/s drops with the other load on core 0, CPU time per request much less. functions-framework runs from bench/.venvs/ff
and lastword from bench/.venvs/lastword, both made by bench/run.py's helpers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h  # noqa: E402
import _venvs as run  # noqa: E402 - the venv helpers of bench/run.py

SOURCE = "bench/functions/cloudevent_main.py"  # relative to the repo root (servers run there)
LUA = h.BENCH_DIR / "cloudevent_binary.lua"
WORKLOADS = ("ce_sync", "ce_async")
TARGET_RPS_RATIO = 3.0

_EVENT_HEADERS = (
    "Content-Type: application/json\r\nce-specversion: 1.0\r\nce-id: check-1\r\n"
    "ce-source: //bench\r\nce-type: com.example.order.created\r\n"
)
_EVENT_BODY = b'{"items":[' + b",".join(b'{"id":%d}' % i for i in range(8)) + b"]}"


def argv_for(runtime: str, workload: str, port: int, setup: list[str]) -> list[str]:
    common = ["--source", SOURCE, "--target", workload, "--signature-type", "cloudevent",
              "--host", h.HOST, "--port", str(port)]
    if runtime == "lastword":
        if run.ensure_lastword_venv(setup):
            raise RuntimeError("could not set up bench/.venvs/lastword")
        return [str(run.LW_VENV / "bin" / "lastword"), "serve", *common]
    why = run.ensure_ff_venv(setup)
    if why:
        raise RuntimeError(why)
    ff = [str(run.FF_VENV / "bin" / "functions-framework"), *common]
    return ff + (["--asgi"] if runtime == "ff-asgi" else [])


def event_probe(port: int) -> int | None:
    """Readiness and correctness: one binary-mode event, expect 200 OK."""
    import socket

    request = (
        f"POST / HTTP/1.1\r\nHost: {h.HOST}\r\nConnection: close\r\n{_EVENT_HEADERS}"
        f"Content-Length: {len(_EVENT_BODY)}\r\n\r\n"
    ).encode() + _EVENT_BODY
    try:
        with socket.create_connection((h.HOST, port), timeout=1.0) as sock:
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    if not data.startswith(b"HTTP/1.1 "):
        return None
    status = int(data[9:12])
    return status if status != 200 or data.rstrip().endswith(b"OK") else 599


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of the process tree rooted at ``root``."""
    ticks = 0
    for pid in h.process_tree(root):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()  # fields from the 3rd (state) on
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (the 14th and 15th)
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(
    runtime: str, workload: str, duration: float, warmup: float, setup: list[str]
) -> tuple[h.WrkResult, float]:
    """wrk's result, and the server's CPU microseconds per request of the timed run."""
    port = h.free_port()
    server = h.start_server(f"ce-{runtime}-{workload}", argv_for(runtime, workload, port, setup), port)
    try:
        with h.pinned_to_client_cpu():
            h.wait_ready(server, timeout=60, probe=event_probe)
        if warmup > 0:
            h.run_wrk(port, warmup, "/", LUA, warmup=0)
        cpu = tree_cpu_seconds(server.pid)
        result = h.run_wrk(port, duration, "/", LUA, warmup=0)
        cpu = tree_cpu_seconds(server.pid) - cpu
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited during the load (code {server.proc.returncode})")
    finally:
        server.stop()
    if not result.ok:
        raise RuntimeError(
            f"wrk: {result.requests} requests, {result.non2xx} non-2xx, {result.errors} socket errors"
        )
    return result, cpu / result.requests * 1e6


PAIRS = {"ce_sync": ("lastword", "ff"), "ce_async": ("lastword", "ff-asgi")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up (default 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, order alternating (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 round of 2 s runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.rounds = 2.0, 1.0, 1
    if not shutil.which("wrk") or not shutil.which("taskset"):
        print("wrk and taskset are required", file=sys.stderr)
        return 2
    setup: list[str] = []
    started = time.monotonic()
    rps: dict[tuple[str, str], list[float]] = {}
    p99: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        for workload in WORKLOADS:
            pair = PAIRS[workload] if round_ % 2 == 0 else PAIRS[workload][::-1]
            for runtime in pair:
                print(f"[{round_ + 1}/{args.rounds}] {runtime:9s} {workload:9s}", end=" ", flush=True)
                result, per_request = measure(runtime, workload, args.duration, args.warmup, setup)
                rps.setdefault((runtime, workload), []).append(result.rps)
                p99.setdefault((runtime, workload), []).append(result.p99_ms)
                cpu.setdefault((runtime, workload), []).append(per_request)
                print(
                    f"{result.rps:9.0f} req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms"
                    f"  cpu {per_request:6.0f} us/req"
                )
    for line in setup:
        print(f"setup: {line}")
    info = h.machine_info()
    print()
    print(
        f"CloudEvents/s, binary mode, 1 KiB JSON data; {args.rounds} round(s) of {args.duration:g} s "
        f"(+{args.warmup:g} s warm-up), medians; server on core 0, wrk -t1 -c50 on core 1; "
        f"{info.get('cpu', '?')}, {info['nproc']} CPUs, load {info.get('loadavg', '?')}; "
        f"{time.monotonic() - started:.0f} s"
    )
    print()
    print(
        "| workload | lastword req/s | p99 ms | CPU µs/req | functions-framework | req/s | p99 ms "
        "| CPU µs/req | req/s ratio | CPU/req ratio |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    worst = float("inf")
    for workload in WORKLOADS:
        ours, theirs = PAIRS[workload]
        a = statistics.median(rps[ours, workload])
        b = statistics.median(rps[theirs, workload])
        ca = statistics.median(cpu[ours, workload])
        cb = statistics.median(cpu[theirs, workload])
        ratio = a / b if b else float("nan")
        worst = min(worst, ratio)
        print(
            f"| {workload} | {a:.0f} | {statistics.median(p99[ours, workload]):.1f} | {ca:.0f} "
            f"| {theirs} | {b:.0f} | {statistics.median(p99[theirs, workload]):.1f} | {cb:.0f} "
            f"| {h.fmt_ratio(ratio)} | {h.fmt_ratio(cb / ca if ca else float('nan'))} |"
        )
    print()
    verdict = "meets" if worst >= TARGET_RPS_RATIO else "misses"
    print(f"target ≥ {TARGET_RPS_RATIO:g}× on every workload: {verdict} (lowest {worst:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
