"""What the request line costs: hello-world throughput with it on (text and JSON) and off.

    python bench/request_log.py                  # 3 interleaved rounds, 5 s per cell (~2.5 min)
    python bench/request_log.py --rounds 5 --duration 10

Same method as bench/run.py: the server pinned to core 0 with its output in a file (as under
``| tee`` or a container's log driver), wrk on core 1 (``-t1 -c50``). The configurations of one
workload run back to back in each round, in alternating order; the report gives the median
req/s and server CPU time per request of each, and the median of the per-round req/s ratios
against ``off``. On a shared, busy machine the CPU time per request is the steadier number.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import _harness as h

BENCH = Path(__file__).parent
SOURCE = BENCH / "functions" / "main.py"
CONFIGS = {
    "off": {"LASTWORD_REQUEST_LOG": "off", "LASTWORD_LOG_FORMAT": "text"},
    "text": {"LASTWORD_REQUEST_LOG": "on", "LASTWORD_LOG_FORMAT": "text"},
    "json": {"LASTWORD_REQUEST_LOG": "on", "LASTWORD_LOG_FORMAT": "json"},
}


def cpu_seconds(root: int) -> float:
    """User + system CPU time of a process tree so far (from /proc)."""
    total = 0
    for pid in h.process_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def measure(workload: str, config: str, duration: float) -> tuple[float, float]:
    """(req/s, server CPU µs per request): the second hardly depends on how busy the machine is."""
    port = h.free_port()
    argv = [sys.executable, "-m", "lastword", "serve", str(SOURCE), "--target", workload,
            "--host", h.HOST, "--port", str(port)]
    server = h.start_server(f"request-log-{workload}-{config}", argv, port, env=CONFIGS[config])
    try:
        h.wait_ready(server)
        h.run_wrk(port, 1.0, warmup=0)
        before = cpu_seconds(server.pid)
        result = h.run_wrk(port, duration, warmup=0)
        cpu = cpu_seconds(server.pid) - before
        return result.rps, cpu / max(1, result.requests) * 1e6
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--workloads", default="hello_sync,hello_async")
    args = parser.parse_args()
    workloads = args.workloads.split(",")
    rps: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        for workload in workloads:
            order = list(CONFIGS) if round_ % 2 == 0 else list(reversed(CONFIGS))
            got = {config: measure(workload, config, args.duration) for config in order}
            for config, (value, micros) in got.items():
                rps.setdefault((workload, config), []).append(value)
                cpu.setdefault((workload, config), []).append(micros)
                ratios.setdefault((workload, config), []).append(value / got["off"][0])
            print(f"round {round_ + 1}: {workload}: "
                  + ", ".join(f"{c} {v:.0f} req/s {m:.0f} us" for c, (v, m) in got.items()), file=sys.stderr)
    print(f"| workload | {' | '.join(f'{c}: req/s, CPU µs/req' for c in CONFIGS)} | text / off req/s | json / off req/s |")
    print(f"|---|{'---|' * len(CONFIGS)}---|---|")
    for workload in workloads:
        cells = [f"{h.median(rps[(workload, c)]):.0f}, {h.median(cpu[(workload, c)]):.0f}" for c in CONFIGS]
        text = h.median(ratios[(workload, "text")])
        json_ = h.median(ratios[(workload, "json")])
        print(f"| {workload} | {' | '.join(cells)} | {text:.2f}x | {json_:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
