"""What the request line costs: hello-world throughput with it on (text and JSON) and off.

    python bench/request_log.py                  # 3 interleaved rounds, 5 s per cell (~2.5 min)
    python bench/request_log.py --rounds 5 --duration 10

Same method as bench/run.py: the server pinned to core 0 with its output in a file (as under
``| tee`` or a container's log driver), wrk on core 1 (``-t1 -c50``). The configurations of one
workload run back to back in each round, in alternating order; the report gives the median
req/s of each and the median of the per-round ratios against ``off``.
"""

from __future__ import annotations

import argparse
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


def measure(workload: str, config: str, duration: float) -> float:
    port = h.free_port()
    argv = [sys.executable, "-m", "lastword", "serve", str(SOURCE), "--target", workload,
            "--host", h.HOST, "--port", str(port)]
    server = h.start_server(f"request-log-{workload}-{config}", argv, port, env=CONFIGS[config])
    try:
        h.wait_ready(server)
        return h.run_wrk(port, duration, warmup=1.0).rps
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
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        for workload in workloads:
            order = list(CONFIGS) if round_ % 2 == 0 else list(reversed(CONFIGS))
            got = {config: measure(workload, config, args.duration) for config in order}
            for config, value in got.items():
                rps.setdefault((workload, config), []).append(value)
                ratios.setdefault((workload, config), []).append(value / got["off"])
            print(f"round {round_ + 1}: {workload}: " + ", ".join(f"{c} {v:.0f}" for c, v in got.items()),
                  file=sys.stderr)
    print(f"| workload | {' | '.join(f'{c} req/s' for c in CONFIGS)} | text / off | json / off |")
    print(f"|---|{'---|' * len(CONFIGS)}---|---|")
    for workload in workloads:
        cells = [f"{h.median(rps[(workload, c)]):.0f}" for c in CONFIGS]
        text = h.median(ratios[(workload, "text")])
        json_ = h.median(ratios[(workload, "json")])
        print(f"| {workload} | {' | '.join(cells)} | {text:.2f}x | {json_:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
