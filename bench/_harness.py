"""Shared measurement helpers for bench/run.py and bench/server_choice.py.

Stdlib only. Everything here is bounded in time: every wait has a deadline,
every process we start is put in its own session so that we can end exactly
its process group (by id) and nothing else.

Measurement model (2-core machine):
  * the server process tree is pinned to core 0 (``taskset -c 0``),
  * wrk is pinned to core 1 (``taskset -c 1 wrk -t1 -c50 ...``),
  * the harness itself pins itself to core 1 while it polls for cold start.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"

SERVER_CPU = "0"
CLIENT_CPU = "1"
HOST = "127.0.0.1"


# --------------------------------------------------------------------------- ports


def free_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- processes


@dataclasses.dataclass
class Server:
    """A server process tree we started (own session => own process group)."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    started_at: float

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, n: int = 15) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])

    def stop(self, timeout: float = 8.0) -> None:
        """SIGTERM our process group, then SIGKILL it after ``timeout``."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout)
        # Children (gunicorn / granian workers) may outlive the leader briefly.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2.0)


def start_server(
    name: str,
    argv: Sequence[str],
    port: int,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_DIR,
    pin: bool = True,
) -> Server:
    """Start ``argv`` pinned to the server core, output to a log file."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    log_path = WORK_DIR / f"{safe}.log"
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    cmd = (["taskset", "-c", SERVER_CPU] if pin else []) + list(argv)
    log = open(log_path, "wb")  # noqa: SIM115 - handed to the child
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=str(cwd),
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()
    return Server(name=name, proc=proc, port=port, log_path=log_path, started_at=t0)


_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def http_get_status(port: int, timeout: float = 2.0, path: str = "/") -> int | None:
    """One raw HTTP/1.1 GET; returns the status code, or None if not reachable."""
    req = _REQUEST if path == "/" else _REQUEST.replace(b"GET / ", f"GET {path} ".encode())
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(req)
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


def http_request(
    port: int,
    method: str = "GET",
    path: str = "/",
    body: bytes = b"",
    ctype: str = "",
    timeout: float = 5.0,
    headers: Sequence[tuple[str, str]] = (),
) -> tuple[int, bytes]:
    """A raw HTTP/1.1 request (Connection: close); returns (status, body)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if body or method == "POST":
        head += f"Content-Length: {len(body)}\r\n"
    if ctype:
        head += f"Content-Type: {ctype}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers)
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(head.encode() + b"\r\n" + body)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    status = int(m.group(1)) if m else 0
    head_bytes, _, payload = data.partition(b"\r\n\r\n")
    if re.search(rb"(?im)^transfer-encoding:\s*chunked", head_bytes):
        payload = _dechunk(payload)
    return status, payload


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return out


Probe = Callable[[int], "int | None"]


def json_post_probe(port: int) -> int | None:
    """Readiness probe for echo functions: POST a tiny JSON document."""
    try:
        status = http_request(
            port, "POST", "/", b'{"ready": true}', "application/json", timeout=1.0
        )[0]
    except OSError:
        return None
    return status or None


def wait_ready(
    server: Server, timeout: float = 30.0, path: str = "/", probe: Probe | None = None
) -> float:
    """Tight-poll the port until a 200 arrives; return seconds since process start.

    ``probe(port)`` returns a status or None (not reachable yet); the default is
    a GET of ``path``. Raises RuntimeError (with the server log tail) if the
    process exits, answers something other than 200, or the deadline passes.
    """
    deadline = server.started_at + timeout
    while True:
        if probe is not None:
            status = probe(server.port)
        else:
            # a refused connection returns at once; once the socket is bound, wait for the
            # answer (up to the deadline) instead of dropping it and reconnecting
            left = max(0.05, server.started_at + timeout - time.perf_counter())
            status = http_get_status(server.port, timeout=left, path=path)
        now = time.perf_counter()
        if status == 200:
            return now - server.started_at
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name}: exited with code {server.proc.returncode} before serving\n"
                + server.log_tail()
            )
        if status is not None and status != 200:
            raise RuntimeError(f"{server.name}: answered {status} on {path}\n" + server.log_tail())
        if now > deadline:
            raise RuntimeError(f"{server.name}: no 200 within {timeout:.0f}s\n" + server.log_tail())
        time.sleep(0.0005)


@contextlib.contextmanager
def pinned_to_client_cpu() -> Iterator[None]:
    """Run the harness on the client core while it polls (keeps core 0 for the server)."""
    try:
        before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {int(CLIENT_CPU)})
    except (AttributeError, OSError):
        yield
        return
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


# --------------------------------------------------------------------------- memory


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...  -- comm may contain spaces/parens
        rest = stat[stat.rfind(b")") + 2 :].split()
        ppid = int(rest[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(root: int) -> list[int]:
    children = _children_map()
    out: list[int] = []
    todo = [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_sum_kib(
    root: int, field: Callable[[int], int], skip_comm: Sequence[str] = ("taskset",)
) -> int:
    total = 0
    for pid in process_tree(root):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if comm in skip_comm:
            continue
        total += field(pid)
    return total


def tree_rss_mib(root: int, skip_comm: Sequence[str] = ("taskset",)) -> float:
    """Sum of VmRSS over the process tree rooted at ``root`` (MiB).

    Pages shared between processes (gunicorn's master and worker) count once per process:
    that is how the earlier results and the issue's memory target are stated.
    """
    return _tree_sum_kib(root, _rss_kib, skip_comm) / 1024.0


def _sched_ns(pid: int) -> tuple[int, int]:
    """(ns on a CPU, ns runnable but waiting for one) summed over the live threads of pid."""
    on = wait = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0, 0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                fields = f.read().split()
        except OSError:
            continue
        on += int(fields[0])
        wait += int(fields[1])
    return on, wait


def tree_sched_seconds(root: int) -> tuple[float, float]:
    """CPU time used so far by the live threads of the tree, and time they waited for a CPU.

    On a shared machine the server gets less than its core when others run: CPU time per
    request or to the first response hardly depends on that, so it tells a runtime's cost
    apart from contention; the waiting time shows how much contention there was.
    """
    on = wait = 0
    for pid in process_tree(root):
        a, b = _sched_ns(pid)
        on += a
        wait += b
    return on / 1e9, wait / 1e9


def tree_cpu_seconds(root: int) -> float:
    return tree_sched_seconds(root)[0]


def tree_pss_mib(root: int) -> float:
    """Sum of Pss (shared pages split between their users) over the tree, in MiB."""
    return _tree_sum_kib(root, _pss_kib) / 1024.0


# --------------------------------------------------------------------------- wrk


@dataclasses.dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    non2xx: int
    requests: int
    p999_ms: float = float("nan")
    """From the ``done()`` hook of the generated script (wrk's own report stops at p99)."""
    max_ms: float = float("nan")

    @property
    def ok(self) -> bool:
        return self.requests > 0 and self.non2xx == 0 and self.errors == 0


_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _lat_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unparseable latency {text!r}")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def parse_wrk(out: str) -> WrkResult:
    rps_m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50_m = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99_m = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    req_m = re.search(r"(\d+) requests in", out)
    if not (rps_m and p50_m and p99_m and req_m):
        raise ValueError("could not parse wrk output:\n" + out)
    errors = 0
    err_m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if err_m:
        errors = sum(int(x) for x in err_m.groups())
    non_m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    res = WrkResult(
        rps=float(rps_m.group(1)),
        p50_ms=_lat_ms(p50_m.group(1)),
        p99_ms=_lat_ms(p99_m.group(1)),
        errors=errors,
        non2xx=int(non_m.group(1)) if non_m else 0,
        requests=int(req_m.group(1)),
    )
    # the exact percentiles printed by the done() hook of wrk_script(), in microseconds
    lat_m = re.search(r"^LATENCY_US (.*)$", out, re.M)
    if lat_m:
        values = dict(kv.split("=", 1) for kv in lat_m.group(1).split())
        res.p50_ms = float(values["p50"]) / 1000
        res.p99_ms = float(values["p99"]) / 1000
        res.p999_ms = float(values["p999"]) / 1000
        res.max_ms = float(values["max"]) / 1000
    return res


_DONE_HOOK = """
-- Runs once, after the run: wrk's report stops at p99, this adds p99.9 (microseconds).
done = function(summary, latency, requests)
  io.write(string.format("LATENCY_US p50=%d p90=%d p99=%d p999=%d max=%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
"""


def lua_script(
    method: str = "GET", body: bytes = b"", content_type: str = "",
    headers: Sequence[tuple[str, str]] = (),
) -> str:
    """A wrk script that sends one fixed request and reports p50/p99/p99.9.

    Only ``wrk.method``/``wrk.body``/``wrk.headers`` and a ``done()`` hook are set: with no
    ``request()`` or ``response()`` function wrk builds the request bytes once and sends the
    same buffer on every request, so the script costs nothing per request.
    """
    lines = ["-- generated by bench/_harness.py:lua_script()", f'wrk.method = "{method}"']
    if body:
        text = body.decode()
        level = 0
        while f"]{'=' * level}]" in text:
            level += 1
        eq = "=" * level
        lines.append(f"wrk.body = [{eq}[{text}]{eq}]")
    if content_type:
        lines.append(f'wrk.headers["Content-Type"] = "{content_type}"')
    for name, value in headers:
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    return "\n".join(lines) + "\n" + _DONE_HOOK


def write_lua_script(
    name: str, method: str = "GET", body: bytes = b"", content_type: str = "",
    headers: Sequence[tuple[str, str]] = (),
) -> Path:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / f"wrk-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.lua"
    path.write_text(lua_script(method, body, content_type, headers))
    return path


def wrk_argv(
    port: int, duration: float, path: str = "/", script: Path | None = None, connections: int = 50
) -> list[str]:
    argv = [
        "taskset",
        "-c",
        CLIENT_CPU,
        shutil.which("wrk") or "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(f"http://{HOST}:{port}{path}")
    return argv


def run_wrk(
    port: int,
    duration: float,
    path: str = "/",
    script: Path | None = None,
    warmup: float = 2.0,
    connections: int = 50,
) -> WrkResult:
    """Warm up (discarded), then measure."""
    if warmup > 0:
        subprocess.run(
            wrk_argv(port, warmup, path, script, connections),
            capture_output=True,
            timeout=warmup + 30,
            check=False,
        )
    proc = subprocess.run(
        wrk_argv(port, duration, path, script, connections),
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()}")
    return parse_wrk(proc.stdout)


# --------------------------------------------------------------------------- cold start


def cold_start(
    name: str,
    argv: Sequence[str],
    runs: int,
    *,
    env: Mapping[str, str] | None = None,
    path: str = "/",
    timeout: float = 30.0,
    probe: Probe | None = None,
) -> list[float]:
    """Process start -> first 200, ``runs`` times; returns seconds per run."""
    samples: list[float] = []
    with pinned_to_client_cpu():
        for i in range(runs):
            port = free_port()
            srv = start_server(
                f"{name}-cold{i}", [a.replace("{port}", str(port)) for a in argv], port, env=env
            )
            try:
                samples.append(wait_ready(srv, timeout=timeout, path=path, probe=probe))
            finally:
                srv.stop()
    return samples


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# --------------------------------------------------------------------------- misc


def machine_info() -> dict[str, str]:
    info = {
        "nproc": str(os.cpu_count()),
        "python": sys.version.split()[0],
        "platform": sys.platform,
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/loadavg") as f:
            info["loadavg"] = " ".join(f.read().split()[:3])
    except OSError:
        pass
    return info


def fmt_ratio(x: float) -> str:
    return "n/a" if x != x else f"{x:.2f}×"


@dataclasses.dataclass
class Cell:
    """The samples of one (server, workload) cell over the rounds of a run."""

    rps: list[float] = dataclasses.field(default_factory=list)
    p50: list[float] = dataclasses.field(default_factory=list)
    p99: list[float] = dataclasses.field(default_factory=list)
    rss: list[float] = dataclasses.field(default_factory=list)
    rounds: list[int] = dataclasses.field(default_factory=list)
    skip: str = ""
    error: str = ""

    @staticmethod
    def med(xs: list[float]) -> float:
        return median(xs)

    def add(self, res: WrkResult, rss: float) -> None:
        """Record one timed run."""
        self.rps.append(res.rps)
        self.p50.append(res.p50_ms)
        self.p99.append(res.p99_ms)
        self.rss.append(rss)
