"""What production parity costs: freezing and thawing a worker, and replacing a dead one.

    python bench/freeze_bench.py [--requests 300] [--json out.json]

bench/run.py runs the same measurements (``measure()`` below) after its matrix and puts the
results in the table of every target.

1. **Thaw cost.** The same sync hello function under ``--cpu request`` (the worker is frozen
   between requests) and ``--cpu always`` (never frozen), one kept-alive connection, one request
   every 30 ms (so the worker is idle, and frozen, when each arrives). Reported: latency p50/p99 of
   both and their difference at p50 — what waking a frozen worker adds. Target ≤ 1 ms at p50.
2. **Replacement.** SIGKILL a worker, then time until a new one answers (requests every 2 ms).
3. **2 workers vs 1** (needs ``wrk``): hello-world throughput, server on both cores.

Everything on 127.0.0.1, bounded, processes ended by PID.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FUNCTION = """
import os

def hello(request):
    return str(os.getpid())
"""


class Server:
    def __init__(self, folder: Path, *args: str, python: str = sys.executable):
        self.log = folder / f"server-{time.monotonic_ns()}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [python, "-m", "lastword", "serve", str(folder / "main.py"), "--target", "hello",
                 "--host", "127.0.0.1", "--port", "0", "--log-format", "text", *args],
                stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = re.search(r"at http://127\.0\.0\.1:(\d+)", self.log.read_text())
            if found:
                self.port = int(found.group(1))
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(self.log.read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _get(connection: http.client.HTTPConnection) -> tuple[float, str]:
    started = time.perf_counter()
    connection.request("GET", "/")
    response = connection.getresponse()
    body = response.read().decode()
    return time.perf_counter() - started, body


def latencies(folder: Path, cpu: str, count: int, gap: float, python: str) -> list[float]:
    server = Server(folder, "--cpu", cpu, python=python)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for _ in range(5):
            _get(connection)
        found = []
        for _ in range(count):
            time.sleep(gap)
            found.append(_get(connection)[0])
        connection.close()
        return found
    finally:
        server.stop()


def replacement(folder: Path, rounds: int, python: str) -> list[float]:
    server = Server(folder, python=python)
    try:
        times = []
        for _ in range(rounds):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            pid = int(_get(connection)[1])
            connection.close()
            os.kill(pid, signal.SIGKILL)
            killed = time.perf_counter()
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                    _, body = _get(connection)
                    connection.close()
                    if int(body) != pid:
                        break
                except (OSError, http.client.HTTPException, ValueError):
                    pass
                time.sleep(0.002)
            times.append(time.perf_counter() - killed)
        return times
    finally:
        server.stop()


def throughput(folder: Path, workers: int, seconds: int, python: str) -> float:
    server = Server(folder, "--workers", str(workers), "--cpu", "always", python=python)
    try:
        out = subprocess.run(
            ["wrk", "-t1", "-c64", f"-d{seconds}s", f"http://127.0.0.1:{server.port}/"],
            capture_output=True, text=True, timeout=seconds + 30,
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    finally:
        server.stop()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(
    python: str = sys.executable, requests: int = 300, gap: float = 0.03, replacements: int = 5,
    wrk_seconds: int = 8,
) -> dict[str, object]:
    """Every measurement of this file with lastword run by ``python``; prints as it goes."""
    folder = Path(tempfile.mkdtemp(prefix="freeze-bench-"))
    try:
        (folder / "main.py").write_text(FUNCTION)
        results: dict[str, object] = {}
        frozen = latencies(folder, "request", requests, gap, python)
        running = latencies(folder, "always", requests, gap, python)
        f50, r50 = statistics.median(frozen) * 1000, statistics.median(running) * 1000
        results["thaw"] = {
            "cpu_request_p50_ms": round(f50, 3),
            "cpu_request_p99_ms": round(percentile(frozen, 99) * 1000, 3),
            "cpu_always_p50_ms": round(r50, 3),
            "cpu_always_p99_ms": round(percentile(running, 99) * 1000, 3),
            "added_p50_ms": round(f50 - r50, 3), "target_ms": 1.0,
        }
        print(f"thaw: --cpu request p50 {f50:.3f} ms, --cpu always p50 {r50:.3f} ms: "
              f"freezing adds {f50 - r50:.3f} ms at p50 (target <= 1 ms)", flush=True)
        replaced = replacement(folder, replacements, python)
        results["replacement_ms"] = [round(t * 1000, 1) for t in replaced]
        print(f"replacement after SIGKILL: median {statistics.median(replaced) * 1000:.1f} ms "
              f"({', '.join(f'{t * 1000:.0f}' for t in replaced)} ms)", flush=True)
        if shutil.which("wrk"):
            one = throughput(folder, 1, wrk_seconds, python)
            two = throughput(folder, 2, wrk_seconds, python)
            results["workers"] = {"one_rps": one, "two_rps": two, "ratio": round(two / one, 2)}
            print(f"hello throughput: 1 worker {one:,.0f} req/s, 2 workers {two:,.0f} req/s "
                  f"({two / one:.2f}x)", flush=True)
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--gap", type=float, default=0.03)
    parser.add_argument("--json")
    args = parser.parse_args()
    results = measure(requests=args.requests, gap=args.gap)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
