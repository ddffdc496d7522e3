#!/usr/bin/env python3
"""lastword benchmark harness: one command, every runtime side by side.

    python bench/run.py [--duration 10] [--warmup 2] [--rounds 1] [--cold-runs 10]
                        [--only lastword,lastword-notrack,ff,ff-asgi,bare]
                        [--workloads hello_sync,hello_async,echo_sync,echo_async]
                        [--quick]

Runtimes (same function code, bench/functions/main.py):
  lastword          lastword serve bench/functions/main.py --target T   (python running this script)
  lastword-notrack  the same with LASTWORD_TRACKING=off
  ff                functions-framework 3.10.2 default mode (gunicorn, gthread)   (bench/.venvs/ff)
  ff-asgi           functions-framework 3.10.2 --asgi (gunicorn + uvicorn worker)  (bench/.venvs/ff)
  bare              uvicorn + uvloop + httptools serving a bare ASGI app that returns the
                    same bytes (bench/server_apps.py) -- the ceiling

Measurement: server process tree pinned to core 0, ``wrk -t1 -c50 --latency`` pinned to
core 1, warm-up then a timed run; cold start = process start -> first 200 (tight polling,
median of N); memory = sum of VmRSS over the server's process tree right after the load.
Results go to stdout and bench/RESULTS.md. Runtimes whose server does not start are
skipped with the reason printed; run again later.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h  # noqa: E402

BENCH = h.BENCH_DIR
REPO = h.REPO_DIR
SOURCE = "bench/functions/main.py"  # relative to the repo root (servers run with cwd=REPO)
LUA = BENCH / "post_10k.lua"
FF_VENV = BENCH / ".venvs" / "ff"
FF_SPEC = "functions-framework==3.10.2"
FF_ASGI_DEPS = ["starlette", "uvicorn", "uvicorn-worker"]  # what `--asgi` imports
RESULTS = BENCH / "RESULTS.md"

ALL_RUNTIMES = ["lastword", "lastword-notrack", "ff", "ff-asgi", "bare"]
ALL_WORKLOADS = ["hello_sync", "hello_async", "echo_sync", "echo_async"]
DEFAULT_LASTWORD_CMD = "{lastword} serve {source} --target {target} --host 127.0.0.1 --port {port}"

# Combinations a runtime cannot serve, with the reason shown in the table.
_FF_NO_ASYNC = "ff default mode (Flask) does not await an `async def` function: 500 (a coroutine)"
_FF_ASGI_NO_GET_JSON = "ff --asgi passes a Starlette Request: it has no `get_json()`"
UNSUPPORTED: dict[tuple[str, str], str] = {
    ("ff", "hello_async"): _FF_NO_ASYNC,
    ("ff", "echo_async"): _FF_NO_ASYNC,
    ("ff-asgi", "echo_sync"): _FF_ASGI_NO_GET_JSON,
}
# The bare ceiling serves a fixed ASGI app per workload.
BARE_APP = {
    "hello_sync": "asgi_hello",
    "hello_async": "asgi_hello",
    "echo_sync": "asgi_echo",
    "echo_async": "asgi_echo",
}


# --------------------------------------------------------------------------- runtimes


@dataclasses.dataclass
class Runtime:
    name: str
    label: str
    argv_template: list[str]  # {target} {port} substituted; {target} is the bare app for "bare"
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    unavailable: str = ""  # non-empty => skipped, with this reason

    def argv(self, workload: str, port: int) -> list[str]:
        target = BARE_APP[workload] if self.name == "bare" else workload
        return [
            a.replace("{target}", target).replace("{port}", str(port)) for a in self.argv_template
        ]


LW_VENV = BENCH / ".venvs" / "lastword"


def ensure_lastword_venv(log: list[str]) -> str:
    """Create bench/.venvs/lastword with this checkout installed (editable), like ff's venv.

    Both runtimes then start from a clean venv: the harness python's site-packages (and any
    .pth files in it) would add to lastword's cold start only. Returns '' or an error.
    """
    py = LW_VENV / "bin" / "python"
    try:
        if not py.exists():
            print(f"creating {LW_VENV.relative_to(REPO)} ...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(LW_VENV)], check=True, timeout=300)
        if not (LW_VENV / "bin" / "lastword").exists():
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", str(REPO)],
                check=True,
                timeout=600,
            )
            log.append("installed this checkout (editable) in bench/.venvs/lastword")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        return f"could not set up {LW_VENV}: {e}"
    return ""


def _lastword_exe(setup_log: list[str]) -> str | None:
    if not ensure_lastword_venv(setup_log):
        return str(LW_VENV / "bin" / "lastword")
    return shutil.which("lastword")


def ensure_ff_venv(log: list[str]) -> str:
    """Create bench/.venvs/ff with functions-framework 3.10.2 if missing. Returns '' or an error."""
    py = FF_VENV / "bin" / "python"
    stamp = FF_VENV / ".installed"
    if stamp.exists() and stamp.read_text().strip() == FF_SPEC:
        return ""
    try:
        if not py.exists():
            print(f"creating {FF_VENV.relative_to(REPO)} ...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(FF_VENV)], check=True, timeout=300)
        # functions-framework 3.10.2 has no `asgi` extra (pip would warn "does not provide
        # the extra 'asgi'"): starlette, uvicorn and uvicorn-worker are base dependencies.
        extras = _ff_extras(py)
        spec = FF_SPEC.replace("==", "[asgi]==") if "asgi" in extras else FF_SPEC
        print(f"installing {spec} into {FF_VENV.relative_to(REPO)} ...", flush=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", spec],
            check=True,
            timeout=600,
        )
        missing = [
            m
            for m in ("starlette", "uvicorn", "uvicorn_worker")
            if subprocess.run(
                [str(py), "-c", f"import {m}"], capture_output=True, timeout=60
            ).returncode
        ]
        if missing:
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", *FF_ASGI_DEPS], check=True, timeout=600
            )
        log.append(f"installed `{spec}` in bench/.venvs/ff")
        stamp.write_text(FF_SPEC + "\n")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        return f"could not set up {FF_VENV}: {e}"
    return ""


def _ff_extras(py: Path) -> set[str]:
    """Ask pip (in the ff venv) whether functions-framework 3.10.2 declares an `asgi` extra."""
    try:
        out = subprocess.run(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "--dry-run",
                "-q",
                "--report",
                "-",
                "--disable-pip-version-check",
                "--no-deps",
                FF_SPEC,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        ).stdout
        report = json.loads(out)
        meta = report["install"][0]["metadata"] if report.get("install") else {}
        return set(meta.get("provides_extra", []) or [])
    except (ValueError, KeyError, IndexError, subprocess.TimeoutExpired, OSError):
        return set()


def build_runtimes(
    lastword_cmd: str, want: Sequence[str], setup_log: list[str]
) -> dict[str, Runtime]:
    rts: dict[str, Runtime] = {}
    if "lastword" in want or "lastword-notrack" in want:
        exe = _lastword_exe(setup_log)
        tmpl = shlex.split(
            lastword_cmd.replace("{lastword}", exe or "lastword").replace("{source}", SOURCE)
        )
        why = "" if exe else "`lastword` is not installed in this python (pip install -e .)"
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
        why = ensure_ff_venv(setup_log)
        ffx = str(FF_VENV / "bin" / "functions-framework")
        base = [
            ffx,
            "--source",
            SOURCE,
            "--target",
            "{target}",
            "--host",
            h.HOST,
            "--port",
            "{port}",
        ]
        rts["ff"] = Runtime("ff", "functions-framework (default: gunicorn)", base, {}, why)
        rts["ff-asgi"] = Runtime(
            "ff-asgi", "functions-framework --asgi", base + ["--asgi"], {}, why
        )
    if "bare" in want:
        rts["bare"] = Runtime(
            "bare",
            "bare uvicorn+uvloop+httptools (ceiling)",
            [_bare_python(setup_log), str(BENCH / "_embed_uvicorn.py"), "{target}", "{port}"],
        )
    return {k: v for k, v in rts.items() if k in want}


def _bare_python(setup_log: list[str]) -> str:
    """The ceiling runs from lastword's venv too (it has uvicorn, uvloop and httptools)."""
    if not ensure_lastword_venv(setup_log):
        return str(LW_VENV / "bin" / "python")
    return sys.executable


# --------------------------------------------------------------------------- checks


HELLO = b"Hello, World!"


def _probe_for(workload: str) -> h.Probe | None:
    return h.json_post_probe if workload.startswith("echo") else None


def verify(workload: str, port: int) -> str:
    """Check the answer is right before timing it; '' if fine, else why not."""
    if workload.startswith("hello"):
        status, body = h.http_request(port, "GET", "/")
        if status != 200 or body.strip() != HELLO:
            return f"GET / gave {status} {body[:80]!r}, expected 200 {HELLO!r}"
        return ""
    doc = {"items": [{"id": i, "name": f"item-{i:05d}", "ok": True} for i in range(200)]}
    payload = json.dumps(doc).encode()
    status, body = h.http_request(port, "POST", "/", payload, "application/json")
    try:
        echoed = json.loads(body)
    except ValueError:
        echoed = None
    if status != 200 or echoed != doc:
        return f"POST / gave {status} {body[:80]!r}, expected the JSON document echoed"
    return ""


# --------------------------------------------------------------------------- measuring


Cell = h.Cell


def measure(
    rt: Runtime, workload: str, duration: float, warmup: float
) -> tuple[h.WrkResult, float]:
    port = h.free_port()
    srv = h.start_server(f"{rt.name}-{workload}", rt.argv(workload, port), port, env=rt.env)
    try:
        with h.pinned_to_client_cpu():
            h.wait_ready(srv, timeout=60, probe=_probe_for(workload))
        bad = verify(workload, port)
        if bad:
            raise RuntimeError(bad)
        script = LUA if workload.startswith("echo") else None
        res = h.run_wrk(port, duration, "/", script, warmup=warmup)
        rss = h.tree_rss_mib(srv.pid)
        if srv.proc.poll() is not None:
            raise RuntimeError(f"server exited during the load (code {srv.proc.returncode})")
    finally:
        srv.stop()
    if not res.ok:
        raise RuntimeError(
            f"wrk: {res.requests} requests, {res.non2xx} non-2xx, {res.errors} socket errors"
        )
    return res, rss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run (default 10)")
    ap.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of discarded warm-up (default 2)"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat the whole interleaved matrix N times, keep medians (default 1)",
    )
    ap.add_argument(
        "--cold-runs", type=int, default=10, help="cold starts per runtime (default 10)"
    )
    ap.add_argument("--only", default=",".join(ALL_RUNTIMES), help="runtimes, comma-separated")
    ap.add_argument(
        "--workloads", default=",".join(ALL_WORKLOADS), help="workloads, comma-separated"
    )
    ap.add_argument(
        "--quick", action="store_true", help="smoke test: 2s runs, 1s warm-up, 3 cold starts"
    )
    ap.add_argument(
        "--lastword-cmd",
        default=DEFAULT_LASTWORD_CMD,
        help=f"command template for lastword (default: {DEFAULT_LASTWORD_CMD!r})",
    )
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.cold_runs = 2.0, 1.0, 3

    want = [r.strip() for r in args.only.split(",") if r.strip()]
    workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    for name in want:
        if name not in ALL_RUNTIMES:
            ap.error(f"unknown runtime {name!r}; choose from {', '.join(ALL_RUNTIMES)}")
    for w in workloads:
        if w not in ALL_WORKLOADS:
            ap.error(f"unknown workload {w!r}; choose from {', '.join(ALL_WORKLOADS)}")
    if not shutil.which("wrk") or not shutil.which("taskset"):
        print("wrk and taskset are required", file=sys.stderr)
        return 2

    t_start = time.monotonic()
    setup_log: list[str] = []
    rts = build_runtimes(args.lastword_cmd, want, setup_log)
    runtimes = [rts[n] for n in ALL_RUNTIMES if n in rts]
    for rt in runtimes:
        if rt.unavailable:
            print(f"SKIP {rt.name}: {rt.unavailable}")

    cells: dict[tuple[str, str], Cell] = {
        (rt.name, w): Cell() for rt in runtimes for w in workloads
    }
    for rt in runtimes:
        for w in workloads:
            c = cells[(rt.name, w)]
            c.skip = UNSUPPORTED.get((rt.name, w), "") or rt.unavailable
    broken: dict[str, str] = {}  # runtime -> why its server failed to start

    for r in range(args.rounds):
        for w in workloads:
            # alternate the order every round so slow drift of the machine cancels out
            for rt in runtimes if r % 2 == 0 else runtimes[::-1]:
                c = cells[(rt.name, w)]
                if c.skip or rt.name in broken:
                    continue
                print(f"[{r + 1}/{args.rounds}] {rt.name:17s} {w:12s}", end=" ", flush=True)
                try:
                    res, rss = measure(rt, w, args.duration, args.warmup)
                except Exception as e:  # noqa: BLE001 - report and carry on with the others
                    msg = str(e).strip()
                    c.error = msg.splitlines()[0] if msg else type(e).__name__
                    print(f"FAILED: {msg}")
                    if "before serving" in msg or "no 200 within" in msg:
                        broken[rt.name] = c.error
                    continue
                c.rounds.append(r)
                c.add(res, rss)
                print(
                    f"{res.rps:9.0f} req/s  p50 {res.p50_ms:6.2f} ms  p99 {res.p99_ms:7.2f} ms"
                    f"  rss {rss:6.1f} MiB"
                )

    # cold start: hello_sync for every runtime (the bare app for "bare")
    cold: dict[str, list[float]] = {}
    cold_err: dict[str, str] = {}
    for rt in runtimes:
        if rt.unavailable or rt.name in broken:
            cold_err[rt.name] = rt.unavailable or broken[rt.name]
            continue
        print(f"cold start {rt.name:17s}", end=" ", flush=True)
        try:
            cold[rt.name] = h.cold_start(
                f"{rt.name}-cold", _cold_argv(rt), args.cold_runs, env=rt.env
            )
            print(
                f"median {h.median(cold[rt.name]) * 1000:.0f} ms "
                f"(min {min(cold[rt.name]) * 1000:.0f}, max {max(cold[rt.name]) * 1000:.0f})"
            )
        except Exception as e:  # noqa: BLE001
            cold_err[rt.name] = str(e).strip().splitlines()[0]
            print(f"FAILED: {e}")

    report = render(
        args,
        runtimes,
        workloads,
        cells,
        cold,
        cold_err,
        setup_log,
        time.monotonic() - t_start,
        argv if argv is not None else sys.argv[1:],
    )
    print()
    print(report)
    if not args.no_write:
        RESULTS.write_text(report + "\n")
        print(f"\nwritten to {RESULTS.relative_to(REPO)}")
    return 0


def _cold_argv(rt: Runtime) -> list[str]:
    # keep "{port}" for h.cold_start to fill in per run
    target = BARE_APP["hello_sync"] if rt.name == "bare" else "hello_sync"
    return [a.replace("{target}", target) for a in rt.argv_template]


# --------------------------------------------------------------------------- report


def _versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for where, py, pkgs in (
        (
            "lastword venv",
            str(LW_VENV / "bin" / "python"),
            ["lastword", "uvicorn", "uvloop", "httptools", "starlette", "flask"],
        ),
        (
            "ff venv",
            str(FF_VENV / "bin" / "python"),
            ["functions-framework", "gunicorn", "uvicorn", "uvicorn-worker", "starlette", "flask"],
        ),
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
        out[where] = ", ".join(f"{k} {v}" for k, v in vers.items())
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
        out["wrk"] = (wrk.stdout + wrk.stderr).split("\n")[0].strip()
    except (subprocess.SubprocessError, OSError):
        pass
    return out


def _target(value: float, op: str, goal: float) -> str:
    if value != value:
        return "n/a"
    ok = value >= goal if op == ">=" else value <= goal
    return ("PASS" if ok else "FAIL") + f" (target {op} {goal:g})"


def render(
    args: argparse.Namespace,
    runtimes: list[Runtime],
    workloads: list[str],
    cells: dict[tuple[str, str], Cell],
    cold: dict[str, list[float]],
    cold_err: dict[str, str],
    setup_log: list[str],
    elapsed: float,
    argv: Sequence[str],
) -> str:
    info = h.machine_info()
    cmd = "python bench/run.py" + ("" if not argv else " " + " ".join(shlex.quote(a) for a in argv))
    lines = [
        "# lastword benchmark results",
        "",
        f"- command: `{cmd}`",
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}"
        f" (took {elapsed / 60:.1f} min)",
        f"- machine: nproc={info.get('nproc')}, cpu={info.get('cpu', '?')}, "
        f"loadavg at end={info.get('loadavg', '?')}, python {info.get('python')}",
    ]
    for k, v in _versions().items():
        lines.append(f"- {k}: {v}")
    lines += [
        f"- method: server tree pinned to core 0, `wrk -t1 -c50 --latency` on core 1, "
        f"{args.warmup:g}s warm-up + {args.duration:g}s run, {args.rounds} round(s) (median), "
        f"cold start = median of {args.cold_runs}, RSS = sum over the process tree after the load",
    ]
    lines += [f"- setup: {s}" for s in setup_log]
    lines += [
        "",
        "## Throughput, latency, memory",
        "",
        "| workload | runtime | req/s | req/s range | p50 ms | p99 ms | RSS MiB | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for w in workloads:
        for rt in runtimes:
            c = cells[(rt.name, w)]
            if c.rps:
                spread = f"{min(c.rps):,.0f}–{max(c.rps):,.0f}" if len(c.rps) > 1 else "–"
                lines.append(
                    f"| {w} | {rt.name} | {c.med(c.rps):,.0f} | {spread} | {c.med(c.p50):.2f} | "
                    f"{c.med(c.p99):.2f} | {c.med(c.rss):.1f} | |"
                )
            else:
                note = f"skipped: {c.skip}" if c.skip else f"failed: {c.error or 'not run'}"
                lines.append(f"| {w} | {rt.name} | – | – | – | – | – | {note.replace('|', '/')} |")
    lines += [
        "",
        "## Cold start (process start → first 200, hello_sync)",
        "",
        "| runtime | median ms | min ms | max ms | runs |",
        "|---|---:|---:|---:|---:|",
    ]
    for rt in runtimes:
        xs = cold.get(rt.name)
        if xs:
            lines.append(
                f"| {rt.name} | {h.median(xs) * 1000:.0f} | {min(xs) * 1000:.0f} | "
                f"{max(xs) * 1000:.0f} | {len(xs)} |"
            )
        else:
            lines.append(f"| {rt.name} | – | – | – | {cold_err.get(rt.name, 'not run')} |")

    def rps_ratio(a: str, b: str, w: str) -> float:
        """Median of per-round paired ratios (robust to drift between rounds)."""
        ca, cb = cells.get((a, w)), cells.get((b, w))
        if not ca or not cb or not ca.rps or not cb.rps:
            return float("nan")
        if ca.rounds == cb.rounds:
            return statistics.median(x / y for x, y in zip(ca.rps, cb.rps, strict=True))
        return ca.med(ca.rps) / cb.med(cb.rps)

    def rss_ratio(a: str, b: str, w: str) -> float:
        ca, cb = cells.get((a, w)), cells.get((b, w))
        if not ca or not cb or not ca.rss or not cb.rss:
            return float("nan")
        return ca.med(ca.rss) / cb.med(cb.rss)

    def cold_ratio(a: str, b: str) -> float:
        if not cold.get(a) or not cold.get(b):
            return float("nan")
        return h.median(cold[a]) / h.median(cold[b])

    # (label, value, target op, target) -- op "" means no target
    specs: list[tuple[str, float, str, float]] = [
        (
            "hello_sync req/s: lastword / ff default",
            rps_ratio("lastword", "ff", "hello_sync"),
            ">=",
            3.0,
        ),
        ("hello_sync req/s: lastword / bare", rps_ratio("lastword", "bare", "hello_sync"), "", 0),
        (
            "hello_async req/s: lastword / ff --asgi",
            rps_ratio("lastword", "ff-asgi", "hello_async"),
            ">=",
            2.0,
        ),
        (
            "hello_async req/s: lastword / bare",
            rps_ratio("lastword", "bare", "hello_async"),
            ">=",
            0.75,
        ),
        ("echo_sync req/s: lastword / ff default", rps_ratio("lastword", "ff", "echo_sync"), "", 0),
        (
            "echo_async req/s: lastword / ff --asgi",
            rps_ratio("lastword", "ff-asgi", "echo_async"),
            "",
            0,
        ),
        ("echo_async req/s: lastword / bare", rps_ratio("lastword", "bare", "echo_async"), "", 0),
        ("cold start: lastword / ff default", cold_ratio("lastword", "ff"), "<=", 0.6),
        ("cold start: lastword / ff --asgi", cold_ratio("lastword", "ff-asgi"), "", 0),
        (
            "RSS after hello_sync load: lastword / ff default",
            rss_ratio("lastword", "ff", "hello_sync"),
            "<=",
            0.75,
        ),
        (
            "RSS after hello_async load: lastword / ff --asgi",
            rss_ratio("lastword", "ff-asgi", "hello_async"),
            "",
            0,
        ),
        (
            "hello_sync req/s: tracking on / off",
            rps_ratio("lastword", "lastword-notrack", "hello_sync"),
            ">=",
            0.95,
        ),
        (
            "hello_async req/s: tracking on / off",
            rps_ratio("lastword", "lastword-notrack", "hello_async"),
            ">=",
            0.95,
        ),
        (
            "echo_async req/s: tracking on / off",
            rps_ratio("lastword", "lastword-notrack", "echo_async"),
            "",
            0,
        ),
    ]
    rows = [(label, v, _target(v, op, goal) if op else "") for label, v, op, goal in specs]
    lines += ["", "## Ratios", "", "| ratio | value | target |", "|---|---:|---|"]
    for label, value, target in rows:
        lines.append(f"| {label} | {h.fmt_ratio(value)} | {target or '–'} |")
    skipped = sorted({c.skip for c in cells.values() if c.skip})
    if skipped:
        lines += ["", "Skipped combinations: " + "; ".join(skipped) + "."]
    lines += [
        "",
        "req/s ratios are the median of per-round paired ratios (runtimes interleaved, order "
        "alternating each round). The machine is shared and noisy (see the req/s range): "
        "use `--rounds 3` or more before trusting a ratio near its target.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
