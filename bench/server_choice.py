#!/usr/bin/env python3
"""Reproduce the server-choice table of docs/server-choice.md.

    python bench/server_choice.py [--duration 10] [--rounds 1] [--cold-runs 10]
                                  [--only uvicorn,granian-asgi,...]

Every candidate serves the same bare apps (bench/server_apps.py), one worker,
server pinned to core 0, wrk pinned to core 1 (``-t1 -c50 --latency``):

  hello     GET  -> "Hello, World!" text/plain
  echo      POST 10 KiB JSON (bench/post_10k.lua) -> parsed and echoed
  threaded  GET  -> hop to ThreadPoolExecutor(8) via run_in_executor (sync-function emulation)

plus cold start (process start -> first 200, median) and the RSS of the whole
process tree after the hello load. Candidates are interleaved within each round
so that machine noise hits them alike; with --rounds > 1 the median per cell is kept.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h  # noqa: E402

PY = sys.executable
BENCH = h.BENCH_DIR
LUA = BENCH / "post_10k.lua"

WORKLOADS: dict[str, tuple[str, Path | None]] = {
    "hello": ("/", None),
    "echo": ("/", LUA),
    "threaded": ("/", None),
}


@dataclasses.dataclass(frozen=True)
class Candidate:
    name: str
    describe: str
    # workload -> argv ("{port}" is substituted)
    argv: Callable[[str], list[str]]
    env: dict[str, str] = dataclasses.field(default_factory=dict)


def _uvicorn(w: str) -> list[str]:
    return [PY, str(BENCH / "_embed_uvicorn.py"), f"asgi_{w}", "{port}"]


def _uvicorn_cli(w: str) -> list[str]:
    return [
        PY,
        "-m",
        "uvicorn",
        f"server_apps:asgi_{w}",
        "--app-dir",
        str(BENCH),
        "--host",
        h.HOST,
        "--port",
        "{port}",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def _granian(iface: str) -> Callable[[str], list[str]]:
    def argv(w: str) -> list[str]:
        return [
            PY,
            "-m",
            "granian",
            "--interface",
            iface,
            f"server_apps:{iface}_{w}",
            "--working-dir",
            str(BENCH),
            "--host",
            h.HOST,
            "--port",
            "{port}",
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--no-log",
        ]

    return argv


def _granian_embed(iface: str) -> Callable[[str], list[str]]:
    def argv(w: str) -> list[str]:
        return [PY, str(BENCH / "_embed_granian.py"), f"{iface}_{w}", "{port}", iface]

    return argv


CANDIDATES: list[Candidate] = [
    Candidate(
        "uvicorn", "uvicorn 0.54 embedded: own socket + own uvloop loop, httptools", _uvicorn
    ),
    Candidate(
        "uvicorn-cli", "uvicorn CLI --loop uvloop --http httptools (reference)", _uvicorn_cli
    ),
    Candidate(
        "granian-asgi", "granian CLI --interface asgi --workers 1 --loop uvloop", _granian("asgi")
    ),
    Candidate(
        "granian-rsgi", "granian CLI --interface rsgi --workers 1 --loop uvloop", _granian("rsgi")
    ),
    Candidate(
        "granian-embed-asgi",
        "granian.server.embed.Server (ASGI) on our uvloop loop",
        _granian_embed("asgi"),
    ),
]


Cell = h.Cell


def measure_load(
    c: Candidate, workload: str, duration: float, warmup: float
) -> tuple[h.WrkResult, float]:
    path, script = WORKLOADS[workload]
    port = h.free_port()
    argv = [a.replace("{port}", str(port)) for a in c.argv(workload)]
    srv = h.start_server(f"choice-{c.name}-{workload}", argv, port, env=c.env)
    try:
        h.wait_ready(srv, timeout=30, path="/") if workload != "echo" else _wait_echo(srv)
        res = h.run_wrk(port, duration, path, script, warmup=warmup)
        rss = h.tree_rss_mib(srv.pid)
    finally:
        srv.stop()
    if not res.ok:
        raise RuntimeError(
            f"wrk saw errors={res.errors} non2xx={res.non2xx} requests={res.requests}"
        )
    return res, rss


def _wait_echo(srv: h.Server) -> None:
    # echo apps answer GET with an empty body -> "null"; any 200 means ready
    h.wait_ready(srv, timeout=30, path="/")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--cold-runs", type=int, default=10)
    ap.add_argument("--only", default="", help="comma-separated candidate names")
    ap.add_argument("--out", default="", help="also write the markdown table to this file")
    args = ap.parse_args(argv)

    cands = [c for c in CANDIDATES if not args.only or c.name in args.only.split(",")]
    cells: dict[tuple[str, str], Cell] = {(c.name, w): Cell() for c in cands for w in WORKLOADS}
    cold: dict[str, list[float]] = {c.name: [] for c in cands}
    cold_err: dict[str, str] = {}

    for r in range(args.rounds):
        for w in WORKLOADS:
            for c in cands:
                cell = cells[(c.name, w)]
                print(f"[round {r + 1}] {c.name:20s} {w:9s} ...", end=" ", flush=True)
                try:
                    res, rss = measure_load(c, w, args.duration, args.warmup)
                except Exception as e:  # noqa: BLE001 - report and go on
                    cell.error = str(e).splitlines()[0]
                    print("FAILED:", cell.error)
                    continue
                cell.add(res, rss)
                print(
                    f"{res.rps:9.0f} req/s  p50 {res.p50_ms:6.2f} ms  p99 {res.p99_ms:6.2f} ms  rss {rss:5.1f} MiB"
                )
        for c in cands:
            try:
                cold[c.name] += h.cold_start(f"choice-{c.name}", c.argv("hello"), args.cold_runs)
                print(
                    f"[round {r + 1}] {c.name:20s} cold start median {h.median(cold[c.name]) * 1000:.0f} ms"
                )
            except Exception as e:  # noqa: BLE001
                cold_err[c.name] = str(e).splitlines()[0]
                print(f"[round {r + 1}] {c.name:20s} cold start FAILED: {cold_err[c.name]}")

    table = render(cands, cells, cold, args)
    print()
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n")
    return 0


def render(
    cands: list[Candidate],
    cells: dict[tuple[str, str], Cell],
    cold: dict[str, list[float]],
    args: argparse.Namespace,
) -> str:
    base = cands[0].name
    lines = [
        f"Command: `python bench/server_choice.py --duration {args.duration:g} --rounds {args.rounds}"
        f" --cold-runs {args.cold_runs}`  ",
        f"Date: {datetime.datetime.now().isoformat(timespec='seconds')}; machine: "
        + ", ".join(f"{k}={v}" for k, v in h.machine_info().items())
        + "  ",
        "Server on core 0, `wrk -t1 -c50 --latency` on core 1; median over rounds. "
        f"Ratios are vs `{base}`.",
        "",
        "| server | hello req/s | hello p50 / p99 ms | echo 10 KiB req/s | echo p99 ms "
        "| threaded req/s | threaded p99 ms | cold start ms | RSS after load MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def val(name: str, w: str, attr: str) -> float:
        cell = cells[(name, w)]
        return cell.med(getattr(cell, attr))

    for c in cands:
        row = [c.name]
        for w in WORKLOADS:
            cell = cells[(c.name, w)]
            if not cell.rps:
                row += ["failed", ""] if w != "hello" else ["failed", ""]
                continue
            rps = val(c.name, w, "rps")
            ratio = rps / val(base, w, "rps") if c.name != base else 1.0
            rps_txt = f"{rps:,.0f}" + ("" if c.name == base else f" ({ratio:.2f}×)")
            if w == "hello":
                row += [rps_txt, f"{val(c.name, w, 'p50'):.2f} / {val(c.name, w, 'p99'):.2f}"]
            else:
                row += [rps_txt, f"{val(c.name, w, 'p99'):.2f}"]
        cs = h.median(cold[c.name]) * 1000
        row.append("failed" if cs != cs else f"{cs:.0f}")
        rss = val(c.name, "hello", "rss")
        row.append("failed" if rss != rss else f"{rss:.1f}")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for c in cands:
        lines.append(f"- `{c.name}`: {c.describe}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
