#!/usr/bin/env python3
"""lastword benchmark harness: one command, every runtime side by side, every target in one table.

    python bench/run.py [--duration 10] [--warmup 2] [--rounds 1] [--cold-runs 11]
                        [--only lastword,lastword-notrack,ff,ff-asgi,bare]
                        [--workloads hello_sync,...] [--quick] [--no-write]

Runtimes (same function code, bench/functions/main.py):
  lastword          lastword serve bench/functions/main.py --target T   (bench/.venvs/lastword)
  lastword-notrack  the same with LASTWORD_TRACKING=off (hello workloads: the cost of tracking)
  ff                functions-framework 3.10.2 default mode (gunicorn, gthread)   (bench/.venvs/ff)
  ff-asgi           functions-framework 3.10.2 --asgi (gunicorn + uvicorn worker)  (bench/.venvs/ff)
  bare              uvicorn + uvloop + httptools serving a bare ASGI app doing the same work
                    (bench/server_apps.py) -- the ceiling

Workloads (WORKLOADS below): hello (GET, 13 bytes), echo (POST 10 KiB, the bytes sent back),
api (POST a ~1.4 KiB order, validated and priced, JSON summary back), each for a sync and an
async function; api also at one connection (``_c1``: latency without queueing); a CloudEvent in
binary content mode (1 KiB of JSON data), sync against ff and async against ff --asgi.

After the matrix and the cold starts, the production-parity measurements of
bench/freeze_bench.py (what freezing adds to a request, worker replacement, 2 workers against
1) unless ``--no-parity``.

Measurement: server process tree pinned to core 0, ``wrk -t1 --latency`` pinned to core 1
(50 connections unless the workload says otherwise), warm-up then a timed run; p99.9 from a
``done()`` hook of the generated wrk script. Memory = VmRSS summed over the server's process
tree right after the load. Cold start: see bench/coldstart.py (run here too unless
``--cold-runs 0``). Results go to stdout and bench/RESULTS.md, headed by the table of every
target (bench/_targets.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _bodies  # noqa: E402
import _harness as h  # noqa: E402
import _targets as t  # noqa: E402
import _venvs as v  # noqa: E402
import coldstart  # noqa: E402
import freeze_bench  # noqa: E402

BENCH = h.BENCH_DIR
REPO = h.REPO_DIR
SOURCE = "bench/functions/main.py"  # relative to the repo root (servers run with cwd=REPO)
RESULTS = BENCH / "RESULTS.md"
DEFAULT_LASTWORD_CMD = "{lastword} serve {source} --target {target} --host 127.0.0.1 --port {port}"
HELLO = b"Hello, World!"


# --------------------------------------------------------------------------- workloads


def _load_functions() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_functions", BENCH / "functions" / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_functions = _load_functions()


def check_hello(port: int) -> str:
    status, body = h.http_request(port, "GET", "/")
    if status != 200 or body.strip() != HELLO:
        return f"GET / gave {status} {body[:80]!r}, expected 200 {HELLO!r}"
    return ""


def check_echo(port: int) -> str:
    sent = _bodies.body_10k()
    status, body = h.http_request(port, "POST", "/", sent, "application/json")
    if status != 200 or body != sent:
        return f"POST / gave {status} {body[:80]!r}..., expected the {len(sent)} bytes sent back"
    return ""


def check_cloudevent(port: int) -> str:
    status, body = h.http_request(port, "POST", "/", _bodies.event_body(), "application/json",
                                  headers=_bodies.EVENT_HEADERS)
    if status != 200:
        return f"POST / (a CloudEvent) gave {status} {body[:80]!r}, expected 200"
    status, body = h.http_request(port, "POST", "/", _bodies.event_body(), "application/json")
    if status != 400:
        return f"POST / (no ce-* headers) gave {status} {body[:80]!r}, expected 400"
    return ""


def check_api(port: int) -> str:
    expected = _functions.price_order(_bodies.order_document())  # type: ignore[attr-defined]
    status, body = h.http_request(port, "POST", "/", _bodies.order_body(), "application/json")
    try:
        got = json.loads(body)
    except ValueError:
        got = None
    if status != 200 or got != expected:
        return f"POST / (order) gave {status} {body[:80]!r}, expected {json.dumps(expected)[:80]}"
    status, body = h.http_request(port, "POST", "/", b'{"order_id": 7}', "application/json")
    if status != 400 or b"order_id" not in body:
        return f"POST / (bad order) gave {status} {body[:80]!r}, expected 400 naming order_id"
    return ""


@dataclasses.dataclass(frozen=True)
class Workload:
    name: str
    target: str
    """The function in bench/functions/main.py."""
    bare_app: str
    """The app of bench/server_apps.py that the bare ceiling serves for it."""
    check: Callable[[int], str]
    """Checks a running server's answer before timing it: '' or what is wrong."""
    method: str = "GET"
    body: Callable[[], bytes] | None = None
    content_type: str = ""
    connections: int = 50
    max_duration: float | None = None
    runtimes: tuple[str, ...] | None = None
    """Only these runtimes (None: all that can serve it)."""
    headers: tuple[tuple[str, str], ...] = ()
    """More request headers (the CloudEvent attributes)."""
    serve_args: tuple[str, ...] = ()
    """Arguments both runtimes' commands take for this workload (a signature type)."""

    def script(self) -> Path:
        body = self.body() if self.body else b""
        return h.write_lua_script(self.name, self.method, body, self.content_type, self.headers)

    def probe(self, port: int) -> int | None:
        """Readiness: the workload's own request, so the first 200 means it is served."""
        body = self.body() if self.body else b""
        try:
            return h.http_request(port, self.method, "/", body, self.content_type, timeout=5,
                                  headers=self.headers)[0]
        except OSError:
            return None


_HELLO_RTS = ("lastword", "lastword-notrack", "ff", "ff-asgi", "bare")
_RTS = ("lastword", "ff", "ff-asgi", "bare")
_JSON = "application/json"
_CLOUDEVENT = ("--signature-type", "cloudevent")

WORKLOADS: list[Workload] = [
    Workload("hello_sync", "hello_sync", "asgi_hello", check_hello, runtimes=_HELLO_RTS),
    Workload("hello_async", "hello_async", "asgi_hello", check_hello, runtimes=_HELLO_RTS),
    Workload("echo_sync", "echo_sync", "asgi_echo_raw", check_echo, "POST", _bodies.body_10k,
             _JSON, runtimes=_RTS),
    Workload("echo_async", "echo_async", "asgi_echo_raw", check_echo, "POST", _bodies.body_10k,
             _JSON, runtimes=_RTS),
    Workload("api_sync", "api_sync", "asgi_api", check_api, "POST", _bodies.order_body, _JSON,
             runtimes=_RTS),
    Workload("api_async", "api_async", "asgi_api", check_api, "POST", _bodies.order_body, _JSON,
             runtimes=_RTS),
    Workload("api_sync_c1", "api_sync", "asgi_api", check_api, "POST", _bodies.order_body, _JSON,
             connections=1, max_duration=5, runtimes=_RTS),
    Workload("api_async_c1", "api_async", "asgi_api", check_api, "POST", _bodies.order_body,
             _JSON, connections=1, max_duration=5, runtimes=_RTS),
    # issue 11: CloudEvents in binary content mode, each against the peer that can serve it
    Workload("cloudevent_sync", "cloudevent_sync", "", check_cloudevent, "POST",
             _bodies.event_body, _JSON, runtimes=("lastword", "ff"),
             headers=_bodies.EVENT_HEADERS, serve_args=_CLOUDEVENT),
    Workload("cloudevent_async", "cloudevent_async", "", check_cloudevent, "POST",
             _bodies.event_body, _JSON, runtimes=("lastword", "ff-asgi"),
             headers=_bodies.EVENT_HEADERS, serve_args=_CLOUDEVENT),
]
WORKLOAD = {w.name: w for w in WORKLOADS}

# Combinations a runtime cannot serve, with the reason shown in the table.
_FF_NO_ASYNC = "ff default mode (Flask) does not await an `async def` function: 500 (a coroutine)"
_FF_ASGI_SYNC_BODY = (
    "ff --asgi passes a Starlette Request to a sync function too: it has no `get_data()`/"
    "`get_json()`, and its body can only be awaited"
)


def unsupported(runtime: str, w: Workload) -> str:
    if runtime == "ff" and w.target.endswith("_async"):
        return _FF_NO_ASYNC
    if runtime == "ff-asgi" and w.target in ("echo_sync", "api_sync"):
        return _FF_ASGI_SYNC_BODY
    return ""


# --------------------------------------------------------------------------- runtimes


@dataclasses.dataclass
class Runtime:
    name: str
    label: str
    argv_template: list[str]  # {target} {port} substituted; {target} is the bare app for "bare"
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    unavailable: str = ""  # non-empty => skipped, with this reason

    def argv(self, w: Workload, port: int) -> list[str]:
        target = w.bare_app if self.name == "bare" else w.target
        argv = [
            a.replace("{target}", target).replace("{port}", str(port)) for a in self.argv_template
        ]
        return argv if self.name == "bare" else [*argv, *w.serve_args]


ALL_RUNTIMES = ["lastword", "lastword-notrack", "ff", "ff-asgi", "bare"]


def build_runtimes(
    lastword_cmd: str, want: Sequence[str], setup_log: list[str]
) -> dict[str, Runtime]:
    rts: dict[str, Runtime] = {}
    if "lastword" in want or "lastword-notrack" in want:
        why = v.ensure_lastword_venv(setup_log)
        exe = str(v.LW_VENV / "bin" / "lastword") if not why else (shutil.which("lastword") or "")
        tmpl = shlex.split(
            lastword_cmd.replace("{lastword}", exe or "lastword").replace("{source}", SOURCE)
        )
        why = "" if exe else why or "`lastword` is not installed (pip install -e .)"
        # no request line (functions-framework writes none by default; bench/request_log.py
        # measures what it costs)
        quiet = {"LASTWORD_REQUEST_LOG": "off"}
        rts["lastword"] = Runtime(
            "lastword", "lastword", tmpl, {"LASTWORD_TRACKING": "on", **quiet}, why
        )
        rts["lastword-notrack"] = Runtime(
            "lastword-notrack", "lastword (tracking off)", tmpl,
            {"LASTWORD_TRACKING": "off", **quiet}, why,
        )
    if "ff" in want or "ff-asgi" in want:
        why = v.ensure_ff_venv(setup_log)
        ffx = str(v.FF_VENV / "bin" / "functions-framework")
        base = [ffx, "--source", SOURCE, "--target", "{target}", "--host", h.HOST,
                "--port", "{port}"]
        rts["ff"] = Runtime("ff", "functions-framework (default: gunicorn)", base, {}, why)
        rts["ff-asgi"] = Runtime("ff-asgi", "functions-framework --asgi", [*base, "--asgi"], {},
                                 why)
    if "bare" in want:
        rts["bare"] = Runtime(
            "bare",
            "bare uvicorn+uvloop+httptools (ceiling)",
            [v.lastword_python(setup_log), str(BENCH / "_embed_uvicorn.py"), "{target}",
             "{port}"],
        )
    return {k: r for k, r in rts.items() if k in want}


# --------------------------------------------------------------------------- measuring


@dataclasses.dataclass
class Cell:
    """One (runtime, workload): why it is skipped, or its last error."""

    skip: str = ""
    error: str = ""
    runs: int = 0


@dataclasses.dataclass
class Measured:
    wrk: h.WrkResult
    rss: float
    cpu_s: float
    """Server tree CPU time (user + system) during the timed run."""
    wall_s: float


def measure(rt: Runtime, w: Workload, duration: float, warmup: float) -> Measured:
    port = h.free_port()
    env = {"PYTHONDONTWRITEBYTECODE": "1", **rt.env}
    srv = h.start_server(f"{rt.name}-{w.name}", rt.argv(w, port), port, env=env)
    try:
        with h.pinned_to_client_cpu():
            h.wait_ready(srv, timeout=60, probe=w.probe)
        bad = w.check(port)
        if bad:
            raise RuntimeError(bad)
        if w.max_duration is not None:
            duration = min(duration, w.max_duration)
        script = w.script()
        if warmup > 0:
            h.run_wrk(port, warmup, "/", script, warmup=0, connections=w.connections)
        cpu0, t0 = h.tree_cpu_seconds(srv.pid), time.perf_counter()
        res = h.run_wrk(port, duration, "/", script, warmup=0, connections=w.connections)
        cpu1, t1 = h.tree_cpu_seconds(srv.pid), time.perf_counter()
        rss = h.tree_rss_mib(srv.pid)
        if srv.proc.poll() is not None:
            raise RuntimeError(f"server exited during the load (code {srv.proc.returncode})")
    finally:
        srv.stop()
    if not res.ok:
        raise RuntimeError(
            f"wrk: {res.requests} requests, {res.non2xx} non-2xx, {res.errors} socket errors"
        )
    return Measured(res, rss, cpu1 - cpu0, t1 - t0)


def run_matrix(
    runtimes: list[Runtime], workloads: list[Workload], rounds: int, duration: float,
    warmup: float,
) -> tuple[dict[str, t.Series], dict[tuple[str, str], Cell]]:
    series: dict[str, t.Series] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for rt in runtimes:
        for w in workloads:
            if w.runtimes is not None and rt.name not in w.runtimes:
                continue
            cells[(rt.name, w.name)] = Cell(skip=unsupported(rt.name, w) or rt.unavailable)
    broken: dict[str, str] = {}  # runtime -> why its server failed to start
    for r in range(rounds):
        for w in workloads:
            # alternate the order every round so slow drift of the machine cancels out
            for rt in runtimes if r % 2 == 0 else runtimes[::-1]:
                c = cells.get((rt.name, w.name))
                if c is None or c.skip or rt.name in broken:
                    continue
                print(f"[{r + 1}/{rounds}] {rt.name:17s} {w.name:13s}", end=" ", flush=True)
                try:
                    m = measure(rt, w, duration, warmup)
                except Exception as e:  # noqa: BLE001 - report and carry on with the others
                    msg = str(e).strip()
                    c.error = msg.splitlines()[0] if msg else type(e).__name__
                    print(f"FAILED: {msg}")
                    if "before serving" in msg or "no 200 within" in msg:
                        broken[rt.name] = c.error
                    continue
                c.runs += 1
                res = m.wrk
                # requests per server CPU-second: what the runtime costs, whatever share of
                # core 0 the other tenants of the machine left it during the run
                rpc = res.requests / m.cpu_s if m.cpu_s > 0 else float("nan")
                util = 100 * m.cpu_s / m.wall_s
                for kind, value in (("rps", res.rps), ("p50", res.p50_ms), ("p99", res.p99_ms),
                                    ("p999", res.p999_ms), ("rss", m.rss), ("rpc", rpc),
                                    ("cpu", util)):
                    key = f"{kind}/{rt.name}/{w.name}"
                    series.setdefault(key, t.Series(paired=True, source="run.py")).add(r, value)
                print(
                    f"{res.rps:9.0f} req/s  p50 {res.p50_ms:6.2f}  p99 {res.p99_ms:7.2f}  "
                    f"p99.9 {res.p999_ms:7.2f} ms  rss {m.rss:6.1f} MiB  "
                    f"{rpc:7.0f} req/CPU-s  server CPU {util:3.0f}%"
                )
    return series, cells


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run (default 10)")
    ap.add_argument("--warmup", type=float, default=2.0,
                    help="seconds of discarded warm-up (default 2)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="repeat the whole interleaved matrix N times, keep medians (default 1)")
    ap.add_argument("--cold-runs", type=int, default=11,
                    help="cold starts per configuration and mode, 0 to skip (default 11)")
    ap.add_argument("--only", default=",".join(ALL_RUNTIMES), help="runtimes, comma-separated")
    ap.add_argument("--workloads", default=",".join(WORKLOAD),
                    help="workloads, comma-separated")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: 2s runs, 1s warm-up, 3 cold starts")
    ap.add_argument("--lastword-cmd", default=DEFAULT_LASTWORD_CMD,
                    help=f"command template for lastword (default: {DEFAULT_LASTWORD_CMD!r})")
    ap.add_argument("--no-parity", action="store_true",
                    help="skip the production-parity measurements (freeze/thaw, worker "
                         "replacement, 2 workers against 1: bench/freeze_bench.py)")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.cold_runs = 2.0, 1.0, min(args.cold_runs, 3)

    want = [r.strip() for r in args.only.split(",") if r.strip()]
    names = [w.strip() for w in args.workloads.split(",") if w.strip()]
    for name in want:
        if name not in ALL_RUNTIMES:
            ap.error(f"unknown runtime {name!r}; choose from {', '.join(ALL_RUNTIMES)}")
    for name in names:
        if name not in WORKLOAD:
            ap.error(f"unknown workload {name!r}; choose from {', '.join(WORKLOAD)}")
    if not shutil.which("wrk") or not shutil.which("taskset"):
        print("wrk and taskset are required (apt-get install wrk util-linux)", file=sys.stderr)
        return 2

    t_start = time.monotonic()
    load_at_start = h.machine_info().get("loadavg", "?")
    setup_log: list[str] = [f"loadavg at start: {load_at_start} (other sessions share the machine)"]
    rts = build_runtimes(args.lastword_cmd, want, setup_log)
    runtimes = [rts[n] for n in ALL_RUNTIMES if n in rts]
    for rt in runtimes:
        if rt.unavailable:
            print(f"SKIP {rt.name}: {rt.unavailable}")
    v.compile_bytecode(setup_log)
    workloads = [WORKLOAD[n] for n in names]
    series, cells = run_matrix(runtimes, workloads, args.rounds, args.duration, args.warmup)

    cold_cfgs: list[coldstart.ColdConfig] = []
    cold_failed: dict[str, str] = {}
    if args.cold_runs > 0:
        print(f"cold starts: {args.cold_runs} per configuration and mode ...", flush=True)
        cold_cfgs, problems = coldstart.configs(setup_log)
        for p in problems:
            print(f"SKIP cold start: {p}")
        cold_series, cold_failed = coldstart.measure(
            cold_cfgs, args.cold_runs, coldstart.MODES, source="run.py"
        )
        series.update(cold_series)

    parity: dict[str, object] = {}
    if not args.no_parity and "lastword" in rts and not rts["lastword"].unavailable:
        print("production parity (bench/freeze_bench.py) ...", flush=True)
        parity = freeze_bench.measure(
            python=v.lastword_python(setup_log), requests=100 if args.quick else 300,
            wrk_seconds=2 if args.quick else 8,
        )
        series.update(parity_series(parity))

    report = render(
        args, runtimes, workloads, series, cells, cold_cfgs, cold_failed, parity, setup_log,
        time.monotonic() - t_start, argv if argv is not None else sys.argv[1:],
    )
    print()
    print(report)
    if not args.no_write:
        RESULTS.write_text(report + "\n")
        print(f"\nwritten to {RESULTS.relative_to(REPO)}")
    return 0


def parity_series(parity: Mapping[str, Any]) -> dict[str, t.Series]:
    """The targets' series from freeze_bench.measure()'s results."""
    out: dict[str, t.Series] = {}

    def put(key: str, values: Sequence[float]) -> None:
        out[key] = t.Series(dict(enumerate(values)), source="run.py (freeze_bench)")

    if "thaw" in parity:
        put("freeze_thaw_p50/lastword", [parity["thaw"]["added_p50_ms"]])
    if "replacement_ms" in parity:
        put("respawn/lastword", parity["replacement_ms"])
    if "workers" in parity:
        put("rps/lastword-1w/hello_both_cores", [parity["workers"]["one_rps"]])
        put("rps/lastword-2w/hello_both_cores", [parity["workers"]["two_rps"]])
    return out


# --------------------------------------------------------------------------- report


def _versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for where, py, pkgs in (
        ("lastword venv", str(v.LW_VENV / "bin" / "python"),
         ["lastword", "uvicorn", "uvloop", "httptools", "starlette", "flask"]),
        ("ff venv", str(v.FF_VENV / "bin" / "python"),
         ["functions-framework", "gunicorn", "uvicorn", "uvicorn-worker", "starlette", "flask"]),
    ):
        if not Path(py).exists():
            continue
        script = (
            "import importlib.metadata as m,json,sys\nd={}\n"
            "for p in sys.argv[1:]:\n"
            "    try: d[p]=m.version(p)\n"
            "    except m.PackageNotFoundError: d[p]='-'\n"
            "print(json.dumps(d))"
        )
        try:
            res = subprocess.run(
                [py, "-c", script, *pkgs], capture_output=True, text=True, timeout=60, check=True
            )
            vers = json.loads(res.stdout)
        except (subprocess.SubprocessError, ValueError, OSError):
            continue
        out[where] = ", ".join(f"{k} {val}" for k, val in vers.items())
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
        out["wrk"] = (wrk.stdout + wrk.stderr).split("\n")[0].strip()
    except (subprocess.SubprocessError, OSError):
        pass
    return out


def _fmt(x: float, spec: str = ".2f") -> str:
    return "–" if x != x else format(x, spec)


def render(
    args: argparse.Namespace,
    runtimes: list[Runtime],
    workloads: list[Workload],
    series: dict[str, t.Series],
    cells: dict[tuple[str, str], Cell],
    cold_cfgs: list[coldstart.ColdConfig],
    cold_failed: dict[str, str],
    parity: Mapping[str, Any],
    setup_log: list[str],
    elapsed: float,
    argv: Sequence[str],
) -> str:
    info = h.machine_info()
    cmd = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in argv)
    lines = [
        "# lastword benchmark results",
        "",
        f"- command: `{cmd}` (every number below; `measured by: run.py` in the table)",
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}"
        f" (took {elapsed / 60:.1f} min)",
        f"- machine: nproc={info.get('nproc')}, cpu={info.get('cpu', '?')}, "
        f"loadavg at end={info.get('loadavg', '?')}, python {info.get('python')}",
    ]
    lines += [f"- {k}: {val}" for k, val in _versions().items()]
    lines += [
        f"- method: server tree pinned to core 0, `wrk -t1 --latency` on core 1 (50 connections;"
        f" `_c1` workloads: 1), {args.warmup:g}s warm-up + {args.duration:g}s run (`_c1`: at most"
        f" 5s), {args.rounds} round(s), runtimes interleaved with the order alternating; cold"
        f" start = median of {args.cold_runs} per configuration and mode (bench/coldstart.py);"
        " RSS = VmRSS summed over the process tree",
    ]
    lines += [f"- setup: {s}" for s in setup_log]
    lines += ["", "## Every target", ""]
    lines += t.render(t.evaluate(t.TARGETS, series))
    lines += [
        "",
        "Ratios of requests/s are the median of per-round paired ratios; cold-start and memory"
        " ratios are ratios of medians. `info` rows have no target; `not measured` rows are"
        " targets whose measurement other work adds (a line in bench/_targets.py each).",
        "",
        "## Throughput, latency, memory",
        "",
        "| workload | conns | runtime | req/s | req/s range | p50 ms | p99 ms | p99.9 ms |"
        " RSS MiB | req per CPU-s | server CPU | note |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for w in workloads:
        for rt in runtimes:
            c = cells.get((rt.name, w.name))
            if c is None:
                continue
            rps = series.get(f"rps/{rt.name}/{w.name}")
            if rps and rps.values:
                xs = list(rps.values.values())
                spread = f"{min(xs):,.0f}–{max(xs):,.0f}" if len(xs) > 1 else "–"

                def med(kind: str, rt: Runtime = rt, w: Workload = w) -> float:
                    s = series.get(f"{kind}/{rt.name}/{w.name}")
                    return s.median if s else float("nan")

                lines.append(
                    f"| {w.name} | {w.connections} | {rt.name} | {rps.median:,.0f} | {spread} | "
                    f"{_fmt(med('p50'))} | {_fmt(med('p99'))} | {_fmt(med('p999'))} | "
                    f"{_fmt(med('rss'), '.1f')} | {_fmt(med('rpc'), ',.0f')} | "
                    f"{_fmt(med('cpu'), '.0f')}% | {c.error and 'last error: ' + c.error} |"
                )
            else:
                note = f"skipped: {c.skip}" if c.skip else f"failed: {c.error or 'not run'}"
                lines.append(
                    f"| {w.name} | {w.connections} | {rt.name} | – | – | – | – | – | – | – | – |"
                    f" {note.replace('|', '/')} |"
                )
    if cold_cfgs:
        lines += [
            "",
            "## Cold start (process start → first 200) and memory after start",
            "",
            "Bytecode compiled beforehand (`python -m compileall`, as a container build does);"
            " `2 cores`: the server may use both; `pinned to 1 core`: `taskset -c 0`. The floors"
            " (bench/_floor.py) have nothing of lastword: uvicorn + uvloop + httptools and a"
            " Starlette request (async), plus Flask and a `flask.Request` on a thread (sync).",
            "",
        ]
        lines += coldstart.table(cold_cfgs, coldstart.MODES, series, cold_failed)
    if parity:
        lines += ["", "## Production parity (bench/freeze_bench.py, default `--cpu request`)", ""]
        thaw = parity.get("thaw")
        if isinstance(thaw, Mapping):
            lines.append(
                f"- one kept-alive connection, a hello request every 30 ms (the worker idle, so"
                f" frozen, when each arrives): `--cpu request` p50 {thaw['cpu_request_p50_ms']:.3f}"
                f" ms / p99 {thaw['cpu_request_p99_ms']:.3f} ms; `--cpu always` p50"
                f" {thaw['cpu_always_p50_ms']:.3f} ms / p99 {thaw['cpu_always_p99_ms']:.3f} ms:"
                f" freezing adds {thaw['added_p50_ms']:.3f} ms at p50"
            )
        if "replacement_ms" in parity:
            lines.append(
                "- SIGKILL of the worker to a new one answering (ms, each run): "
                + ", ".join(f"{x:g}" for x in parity["replacement_ms"])
            )
        workers = parity.get("workers")
        if isinstance(workers, Mapping):
            lines.append(
                f"- hello, `--cpu always`, server and wrk (-t1 -c64) sharing both cores: 1 worker"
                f" {workers['one_rps']:,.0f} req/s, 2 workers {workers['two_rps']:,.0f} req/s"
            )
    lines += [
        "",
        "The machine is shared and noisy (see the req/s range): compare ratios from one run, not"
        " absolute numbers across runs, and use `--rounds 3` before trusting a ratio near its"
        " target.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
