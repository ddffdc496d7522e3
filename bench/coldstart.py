#!/usr/bin/env python3
"""Cold start: process start -> first 200 on loopback, and memory after start (issue 8.1-8.3).

    python bench/coldstart.py [--runs 11] [--modes 2cpu,1cpu] [--only lastword-sync,...]

Configurations, all answering GET / with the hello functions of bench/functions/main.py:

  lastword-sync   lastword serve ... --target hello_sync
  ff-sync         functions-framework --target hello_sync            (default mode: gunicorn)
  lastword-async  lastword serve ... --target hello_async
  ff-asgi         functions-framework --target hello_async --asgi   (gunicorn + uvicorn worker)
  floor-async     uvicorn + uvloop + httptools, a bare ASGI app awaiting the function with a
                  Starlette request; nothing of lastword (bench/_floor.py async)
  floor-sync      the same + Flask imported and a flask.Request built from the scope, the
                  function on a thread (bench/_floor.py sync)

Method: bytecode compiled beforehand (``python -m compileall`` over both venvs, src/ and
the function folder, as a container build does; the servers run with
PYTHONDONTWRITEBYTECODE=1 so a run never writes bytecode for the next). The clock starts
just before the process is spawned and stops at the first 200 (a GET retried every 0.5 ms
by this script, pinned to core 1). Runs are interleaved (run i of every configuration,
order alternating) so that the machine's drift hits all alike. Mode ``2cpu``: the server
may use both cores; mode ``1cpu``: its process tree is pinned to core 0 (``taskset -c 0``),
as an instance with one vCPU. Memory: VmRSS summed over the process tree right after the
first 200 (and Pss, which counts pages shared by gunicorn's processes once).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h  # noqa: E402
import _targets as t  # noqa: E402
import _venvs as v  # noqa: E402

SOURCE = "bench/functions/main.py"  # relative to the repo root (servers run with cwd=REPO)
HELLO = b"Hello, World!"
MODES = ["2cpu", "1cpu"]
MODE_TEXT = {"2cpu": "2 cores", "1cpu": "pinned to 1 core"}
ALL = ["lastword-sync", "ff-sync", "lastword-async", "ff-asgi", "floor-sync", "floor-async"]


@dataclasses.dataclass(frozen=True)
class ColdConfig:
    name: str
    what: str
    argv: list[str]  # "{port}" is substituted per run
    env: dict[str, str] = dataclasses.field(default_factory=dict)


def configs(setup_log: list[str], only: Sequence[str] = ALL) -> tuple[list[ColdConfig], list[str]]:
    """The configurations, and the reasons why some could not be set up."""
    problems = []
    lw_err = v.ensure_lastword_venv(setup_log)
    ff_err = v.ensure_ff_venv(setup_log)
    lw = str(v.LW_VENV / "bin" / "lastword")
    lw_py = str(v.LW_VENV / "bin" / "python")
    ff = str(v.FF_VENV / "bin" / "functions-framework")
    common = ["--source", SOURCE, "--host", h.HOST, "--port", "{port}"]
    floor = str(h.BENCH_DIR / "_floor.py")
    out = []
    if not lw_err:
        out += [
            ColdConfig("lastword-sync", "lastword serve, sync hello",
                       [lw, "serve", *common, "--target", "hello_sync"]),
            ColdConfig("lastword-async", "lastword serve, async hello",
                       [lw, "serve", *common, "--target", "hello_async"]),
            ColdConfig("floor-sync", "uvicorn+uvloop+httptools + flask.Request, on a thread",
                       [lw_py, floor, "sync", SOURCE, "hello_sync", "{port}"]),
            ColdConfig("floor-async", "uvicorn+uvloop+httptools, Starlette request",
                       [lw_py, floor, "async", SOURCE, "hello_async", "{port}"]),
        ]
    else:
        problems.append(lw_err)
    if not ff_err:
        out += [
            ColdConfig("ff-sync", "functions-framework default (gunicorn)",
                       [ff, *common, "--target", "hello_sync"]),
            ColdConfig("ff-asgi", "functions-framework --asgi",
                       [ff, *common, "--target", "hello_async", "--asgi"]),
        ]
    else:
        problems.append(ff_err)
    by_name = {c.name: c for c in out}
    return [by_name[n] for n in ALL if n in by_name and n in only], problems


def one_start(cfg: ColdConfig, mode: str, tag: str) -> dict[str, float]:
    """One fresh process: ms to the first 200, CPU ms used and ms waited for a CPU by then
    (the live threads of its tree), RSS and PSS MiB right after."""
    port = h.free_port()
    argv = [a.replace("{port}", str(port)) for a in cfg.argv]
    env = {"PYTHONDONTWRITEBYTECODE": "1", **cfg.env}
    srv = h.start_server(f"{cfg.name}-{mode}-cold{tag}", argv, port, env=env, pin=mode == "1cpu")
    try:
        with h.pinned_to_client_cpu():
            elapsed = h.wait_ready(srv, timeout=30)
        cpu, waited = h.tree_sched_seconds(srv.pid)
        rss, pss = h.tree_rss_mib(srv.pid), h.tree_pss_mib(srv.pid)
        status, body = h.http_request(port, "GET", "/")
        if status != 200 or body.strip() != HELLO:
            raise RuntimeError(f"{cfg.name}: GET / gave {status} {body[:60]!r}, expected {HELLO!r}")
    finally:
        srv.stop()
    return {"cold": elapsed * 1000, "cpu_start": cpu * 1000, "wait_start": waited * 1000,
            "rss_start": rss, "pss_start": pss}


def measure(
    cfgs: Sequence[ColdConfig], runs: int, modes: Sequence[str], source: str = "coldstart",
    progress: bool = True,
) -> tuple[dict[str, t.Series], dict[str, str]]:
    """Interleaved cold starts; series keyed KIND/MODE/NAME, KIND one of ``one_start``'s keys."""
    series: dict[str, t.Series] = {}
    failed: dict[str, str] = {}
    for i in range(runs):
        order = list(cfgs) if i % 2 == 0 else list(cfgs)[::-1]
        for mode in modes if i % 2 == 0 else list(modes)[::-1]:
            for cfg in order:
                key = f"{mode}/{cfg.name}"
                if key in failed:
                    continue
                try:
                    got = one_start(cfg, mode, str(i))
                except Exception as e:  # noqa: BLE001 - report it, go on with the others
                    failed[key] = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
                    print(f"\n{key}: FAILED: {e}", flush=True)
                    continue
                for kind, value in got.items():
                    series.setdefault(f"{kind}/{key}", t.Series(source=source)).add(i, value)
        if progress:
            print(f"  cold starts: run {i + 1}/{runs} done", flush=True)
    return series, failed


def table(cfgs: Sequence[ColdConfig], modes: Sequence[str], series: dict[str, t.Series],
          failed: dict[str, str]) -> list[str]:
    lines = [
        "| configuration | mode | median ms | min ms | max ms | runs | CPU ms | waited for CPU ms"
        " | RSS MiB | PSS MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in modes:
        for cfg in cfgs:
            key = f"{mode}/{cfg.name}"
            cold = series.get(f"cold/{key}")
            if not cold or not cold.values:
                why = failed.get(key, "not run").replace("|", "/")
                lines.append(f"| {cfg.name} | {MODE_TEXT[mode]} | – | – | – | 0 | – | – | – |"
                             f" {why} |")
                continue
            xs = list(cold.values.values())
            lines.append(
                f"| {cfg.name} | {MODE_TEXT[mode]} | {cold.median:.0f} | {min(xs):.0f} | "
                f"{max(xs):.0f} | {len(xs)} | {series[f'cpu_start/{key}'].median:.0f} | "
                f"{series[f'wait_start/{key}'].median:.0f} | "
                f"{series[f'rss_start/{key}'].median:.1f} | {series[f'pss_start/{key}'].median:.1f} |"
            )
    return lines


def cold_targets() -> list[t.Target]:
    return [x for x in t.TARGETS if x.num.startswith(("cold/", "rss_start/", "cpu_start/"))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11, help="cold starts per configuration and mode (default 11)")
    ap.add_argument("--modes", default=",".join(MODES), help="2cpu, 1cpu or both (default both)")
    ap.add_argument("--only", default=",".join(ALL), help="configurations, comma-separated")
    ap.add_argument("--no-compile", action="store_true",
                    help="skip compileall (to measure what missing bytecode costs)")
    args = ap.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    only = [n for n in args.only.split(",") if n]
    for m in modes:
        if m not in MODES:
            ap.error(f"unknown mode {m!r}; choose from {', '.join(MODES)}")
    for n in only:
        if n not in ALL:
            ap.error(f"unknown configuration {n!r}; choose from {', '.join(ALL)}")

    started = time.monotonic()
    log: list[str] = []
    cfgs, problems = configs(log, only)
    for p in problems:
        print(f"SKIP: {p}")
    if not args.no_compile:
        v.compile_bytecode(log)
    for line in log:
        print(f"setup: {line}")
    print(f"{len(cfgs)} configurations x {len(modes)} modes x {args.runs} runs ...", flush=True)
    series, failed = measure(cfgs, args.runs, modes)
    cmd = "python bench/coldstart.py" + "".join(" " + shlex.quote(a) for a in (argv or sys.argv[1:]))
    info = h.machine_info()
    print()
    print(f"command: {cmd}   (took {time.monotonic() - started:.0f} s; "
          f"loadavg {info.get('loadavg', '?')}; bytecode "
          f"{'NOT compiled' if args.no_compile else 'compiled beforehand'})")
    print()
    print("\n".join(table(cfgs, modes, series, failed)))
    print()
    print("\n".join(t.render(t.evaluate(cold_targets(), series))))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
