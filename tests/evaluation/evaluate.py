"""Measure the runtime (``--background error``) and ``lastword check`` on the held-out set.

    python tests/evaluation/evaluate.py                 # both tools, a table per tool
    python tests/evaluation/evaluate.py --json out.json # and every result as JSON
    python tests/evaluation/evaluate.py --only wrong_popen_no_wait -v
    python tests/evaluation/evaluate.py --check-cli     # the checker through `lastword check`

**Runtime.** Each function is served by its own fresh ``lastword serve`` process (a real server on
127.0.0.1, port 0, ``--background error --log-format text``, ``LASTWORD_REPORT_HEADER=1``), with
``functions/lib`` on ``PYTHONPATH`` and a local backend as ``EVAL_BACKEND_URL``. Its trigger is
sent once (HTTP as labelled; a CloudEvent in binary or structured mode, alternately; a legacy
event as such), then the server is stopped with SIGTERM. A function is *flagged* when its
response is a 500 with ``X-Lastword-Outcome: left-work`` or ``unawaited-coroutine``, or when a
report of work names a site (the report header's ``leftovers[].site``, or a report in the log,
up to the server's exit).

**Checker.** ``lastword check --target TARGET <function file> helpers/``, run from ``functions/``
(the function's own file and the application's helper package; ``functions/lib`` stands for
installed libraries and is not passed): in-process through the same calls the command makes, or
with ``--check-cli`` through the command itself. A function is flagged when there is a finding.

**Scoring**, the same for both tools. A wrong function is *caught* when flagged; a right one is
*wrongly flagged* when flagged. A catch names the *right line* when one of its sites is the
label's ``file:line`` (the statement that starts the work) or, for a thread or process created on
another line, the label's ``created_at`` (the ``Thread(...)``/``Process(...)`` that ``.start()``
starts: the same object, and the line a reader looks for). A site on the label's ``call_path``
(the user's line that leads to a helper) does not count: it is shown, but the label names the
line that starts the work.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FUNCTIONS = HERE / "functions"
LIB = FUNCTIONS / "lib"
HELPERS = FUNCTIONS / "helpers"

TARGETS = {
    "runtime": {"recall": 1.0, "false_rate": 0.0, "right_line": 0.95},
    "check": {"recall": 0.95, "false_rate": 0.03, "right_line": 0.95},
}
"""Issue 7: the runtime catches every wrong function and flags no right one; the checker's
recall >= 0.95 with false reports <= 0.03; both name the labelled line for >= 95% of catches."""

FLAGGING_OUTCOMES = frozenset({"left-work", "unawaited-coroutine"})
_STARTED = re.compile(r"lastword: serving .* at http://(\S+?):(\d+)")
_REPORT = re.compile(r"^(?:WARNING|ERROR) lastword: (?P<file>\S+?\.py):(?P<line>\d+) in [^:]+: ")
_SCRUBBED_ENV = ("FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE", "FUNCTION_SOURCE", "PORT", "K_SERVICE")


# --- the labels ------------------------------------------------------------------------------
def load_entries(only: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The labelled functions this Python can run (``requires_python``), or those named."""
    entries = json.loads((HERE / "labels.json").read_text())["functions"]
    chosen = set(only)
    if chosen:
        unknown = chosen - {e["name"] for e in entries}
        if unknown:
            raise SystemExit(f"no such function in labels.json: {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e["name"] in chosen]
    return [e for e in entries if _runs_here(e)]


def skipped_entries() -> list[str]:
    entries = json.loads((HERE / "labels.json").read_text())["functions"]
    return [e["name"] for e in entries if not _runs_here(e)]


def _runs_here(entry: dict[str, Any]) -> bool:
    needed = entry.get("requires_python")
    if not needed:
        return True
    return sys.version_info[:2] >= tuple(int(p) for p in needed.split("."))


def labelled_sites(entry: dict[str, Any]) -> set[str]:
    """The ``file:line`` places that count as naming the leftover's line."""
    leftover = entry.get("leftover")
    if leftover is None:
        return set()
    sites = {f"{leftover['file']}:{leftover['line']}"}
    created = leftover.get("created_at")
    if created:
        sites.add(f"{created['file']}:{created['line']}")
    return sites


def call_path_sites(entry: dict[str, Any]) -> set[str]:
    leftover = entry.get("leftover") or {}
    return {f"{step['file']}:{step['line']}" for step in leftover.get("call_path", [])}


def relative_site(filename: str, line: int | str) -> str:
    """``file:line`` relative to this folder when the file is in it (as labels.json names it)."""
    path = Path(filename)
    if not path.is_absolute():
        path = FUNCTIONS / path
    try:
        shown = path.resolve().relative_to(HERE).as_posix()
    except ValueError:
        shown = filename
    return f"{shown}:{line}"


# --- the backend the functions call ----------------------------------------------------------
class _BackendHandler(http.server.BaseHTTPRequestHandler):
    """Any method, any path: 200 ``{"ok": true}`` after ``?delay=`` seconds, or ``?status=``."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        try:
            delay = min(float(query.get("delay", ["0"])[0]), 10.0)
            status = int(query.get("status", ["200"])[0])
        except ValueError:
            delay, status = 0.0, 400
        time.sleep(max(delay, 0.0))
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


class _Backend(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a caller cut off at its shutdown
            super().handle_error(request, client_address)


@contextmanager
def backend() -> Iterator[str]:
    """A local HTTP backend on 127.0.0.1 for ``EVAL_BACKEND_URL``; yields its URL."""
    server = _Backend(("127.0.0.1", 0), _BackendHandler)
    thread = threading.Thread(target=server.serve_forever, name="eval-backend", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- the runtime -----------------------------------------------------------------------------
@dataclasses.dataclass
class Verdict:
    """What one tool said about one function."""

    name: str
    label: str
    sites: list[str] = dataclasses.field(default_factory=list)
    """``file:line`` of every report (relative to tests/evaluation when in it)."""
    status: int | None = None
    outcome: str | None = None
    detail: str = ""
    """How it was sent (runtime), or the findings' codes (checker)."""
    reports: list[str] = dataclasses.field(default_factory=list)
    """The first line of each report, for reading a miss or a false report."""
    error: str | None = None
    """The harness could not get an answer: the function is not measured."""
    seconds: float = 0.0

    @property
    def flagged(self) -> bool:
        return bool(self.sites) or self.outcome in FLAGGING_OUTCOMES


def _server_env(backend_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LASTWORD_") and k not in _SCRUBBED_ENV
    }
    path = [str(LIB), str(FUNCTIONS)]
    if env.get("PYTHONPATH"):
        path.append(env["PYTHONPATH"])
    env.update(
        PYTHONPATH=os.pathsep.join(path),
        PYTHONUNBUFFERED="1",
        EVAL_BACKEND_URL=backend_url,
        LASTWORD_REPORT_HEADER="1",
    )
    return env


def _serve_command(entry: dict[str, Any]) -> list[str]:
    command = [
        sys.executable, "-m", "lastword", "serve", str(HERE / entry["file"]),
        "--target", entry["target"],
        "--host", "127.0.0.1", "--port", "0",
        "--background", "error", "--log-format", "text",
    ]
    if entry["declared_with"] == "--target":
        command += ["--signature-type", entry["signature_type"]]
    return command


def _wait_started(process: subprocess.Popen[bytes], log: Path, deadline: float) -> str:
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        match = _STARTED.search(text)
        if match:
            return f"http://{match.group(1)}:{match.group(2)}"
        if process.poll() is not None:
            raise RuntimeError(f"lastword serve exited with {process.returncode}:\n{text[-2000:]}")
        time.sleep(0.02)
    raise RuntimeError(f"lastword serve did not start in time:\n{log.read_text(errors='replace')[-2000:]}")


def _send(entry: dict[str, Any], url: str, mode: str, timeout: float) -> Any:
    from lastword.testing import Client

    client = Client(url=url, allow_leftovers=True, timeout=timeout)
    trigger = entry["trigger"]
    if "cloudevent" in trigger:
        return client.cloud_event(trigger["cloudevent"], mode=mode)
    if "event" in trigger:
        event = trigger["event"]
        return client.event(event.get("data"), event.get("context"))
    headers = dict(trigger.get("headers") or {})
    if "json" in trigger:
        return client.request(trigger["method"], trigger["path"], json_body=trigger["json"], headers=headers)
    return client.request(trigger["method"], trigger["path"], body=trigger.get("body"), headers=headers)


def _stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_runtime(
    entry: dict[str, Any], backend_url: str, workdir: Path, mode: str = "binary", timeout: float = 30.0
) -> Verdict:
    """Serve ``entry`` in a fresh ``lastword serve``, send its trigger once, read what it said."""
    started = time.monotonic()
    deadline = started + timeout
    verdict = Verdict(entry["name"], entry["label"])
    trigger = entry["trigger"]
    verdict.detail = (
        f"cloudevent ({mode})" if "cloudevent" in trigger
        else "legacy event" if "event" in trigger
        else f"{trigger['method']} {trigger['path']}"
    )
    log = workdir / f"{entry['name']}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _serve_command(entry),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_server_env(backend_url),
            cwd=workdir,
        )
    try:
        url = _wait_started(process, log, deadline)
        result = _send(entry, url, mode, max(deadline - time.monotonic(), 1.0))
        verdict.status = result.status
        verdict.outcome = result.headers.get("X-Lastword-Outcome") or (
            result.report.outcome if result.report else None
        )
        if result.report is not None:
            for work in result.report.leftovers:
                filename, _, line = work.site.rpartition(":")
                verdict.sites.append(relative_site(filename, line))
                verdict.reports.append(f"header: {work.kind} {work.description} at {work.site}")
        time.sleep(0.3)  # work a framework starts after the response (close callbacks, background tasks)
    except Exception as exc:  # the server did not start or did not answer: not measured
        verdict.error = f"{type(exc).__name__}: {exc}"
    finally:
        _stop(process, max(deadline - time.monotonic(), 5.0))
    for line in log.read_text(errors="replace").splitlines():
        match = _REPORT.match(line)
        if match:
            site = relative_site(match.group("file"), match.group("line"))
            if site not in verdict.sites:
                verdict.sites.append(site)
            verdict.reports.append(f"log: {line[:300]}")
    if verdict.error is None and verdict.status == 500 and not verdict.flagged:
        # the function raised (a 5xx it returns itself, a 504 for a timeout, is its answer)
        verdict.error = f"answered 500 without a report:\n{log.read_text(errors='replace')[-2000:]}"
    verdict.seconds = time.monotonic() - started
    return verdict


def run_runtime_all(
    entries: list[dict[str, Any]], jobs: int, timeout: float = 30.0
) -> list[Verdict]:
    modes: dict[str, str] = {}
    events = [e["name"] for e in entries if "cloudevent" in e["trigger"]]
    for i, name in enumerate(events):
        modes[name] = ("binary", "structured")[i % 2]
    with backend() as url, tempfile.TemporaryDirectory(prefix="lastword-eval-") as tmp:
        workdir = Path(tmp)
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = [
                pool.submit(run_runtime, e, url, workdir, modes.get(e["name"], "binary"), timeout)
                for e in entries
            ]
            return [f.result() for f in futures]


# --- the checker -----------------------------------------------------------------------------
def _check_paths(entry: dict[str, Any]) -> list[str]:
    return [Path(entry["file"]).relative_to("functions").as_posix(), "helpers"]


def run_check(entry: dict[str, Any]) -> Verdict:
    """``lastword check --target T file helpers/`` from functions/, as the command runs it."""
    from lastword._check._analyze import check_project
    from lastword._check._files import discover, read_sources

    started = time.monotonic()
    verdict = Verdict(entry["name"], entry["label"])
    files = discover([FUNCTIONS / p for p in _check_paths(entry)])
    result = check_project(read_sources(files, FUNCTIONS), target=entry["target"])
    if not result.checked:
        verdict.error = "the checker checked no function"
    for finding in result.findings:
        _add_finding(verdict, finding.code, finding.path, finding.line, finding.message)
    verdict.seconds = time.monotonic() - started
    return verdict


def run_check_cli(entry: dict[str, Any]) -> Verdict:
    """The same through the ``lastword check --format json`` command, in a subprocess."""
    started = time.monotonic()
    verdict = Verdict(entry["name"], entry["label"])
    completed = subprocess.run(
        [sys.executable, "-m", "lastword", "check", "--format", "json", "--target", entry["target"],
         *_check_paths(entry)],
        cwd=FUNCTIONS, capture_output=True, text=True, timeout=60,
    )
    if completed.returncode not in (0, 1):
        verdict.error = f"lastword check exited {completed.returncode}: {completed.stderr.strip()}"
    else:
        for finding in json.loads(completed.stdout):
            _add_finding(verdict, finding["code"], finding["path"], finding["line"], finding["message"])
        if "No function was checked" in completed.stderr:
            verdict.error = "the checker checked no function"
    verdict.seconds = time.monotonic() - started
    return verdict


def _add_finding(verdict: Verdict, code: str, path: str, line: int, message: str) -> None:
    site = relative_site(path, line)
    verdict.sites.append(site)
    verdict.reports.append(f"{site}: {code} {message[:200]}")
    verdict.detail = " ".join(sorted({*verdict.detail.split(), code}))


def run_check_all(entries: list[dict[str, Any]], cli: bool = False, jobs: int = 2) -> list[Verdict]:
    if not cli:
        return [run_check(e) for e in entries]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(run_check_cli, entries))


# --- scoring ---------------------------------------------------------------------------------
@dataclasses.dataclass
class Score:
    tool: str
    wrong: int = 0
    right: int = 0
    caught: int = 0
    flagged_right: int = 0
    right_line: int = 0
    errors: int = 0
    misses: list[str] = dataclasses.field(default_factory=list)
    false_reports: list[str] = dataclasses.field(default_factory=list)
    wrong_lines: list[str] = dataclasses.field(default_factory=list)
    failed: list[str] = dataclasses.field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.wrong if self.wrong else 1.0

    @property
    def false_rate(self) -> float:
        return self.flagged_right / self.right if self.right else 0.0

    @property
    def right_line_rate(self) -> float:
        return self.right_line / self.caught if self.caught else 1.0

    def meets(self) -> dict[str, bool]:
        target = TARGETS[self.tool]
        return {
            "recall": self.recall >= target["recall"],
            "false_rate": self.false_rate <= target["false_rate"],
            "right_line": self.right_line_rate >= target["right_line"],
            "measured": self.errors == 0,
        }


def score(tool: str, entries: list[dict[str, Any]], verdicts: list[Verdict]) -> Score:
    by_name = {e["name"]: e for e in entries}
    out = Score(tool)
    for verdict in verdicts:
        entry = by_name[verdict.name]
        if verdict.error is not None:
            out.errors += 1
            out.failed.append(f"{verdict.name}: {verdict.error.splitlines()[0]}")
            continue
        if entry["label"] == "right":
            out.right += 1
            if verdict.flagged:
                out.flagged_right += 1
                out.false_reports.append(f"{verdict.name}: {_said(verdict)}")
            continue
        out.wrong += 1
        if not verdict.flagged:
            out.misses.append(f"{verdict.name}: nothing reported ({verdict.detail or 'no finding'})")
            continue
        out.caught += 1
        if labelled_sites(entry) & set(verdict.sites):
            out.right_line += 1
        else:
            on_path = call_path_sites(entry) & set(verdict.sites)
            expected = " or ".join(sorted(labelled_sites(entry)))
            said = ", ".join(verdict.sites) or f"no site (outcome {verdict.outcome})"
            note = " (a line of its call path)" if on_path else ""
            out.wrong_lines.append(f"{verdict.name}: reported {said}{note}, labelled {expected}")
    return out


def _said(verdict: Verdict) -> str:
    sites = ", ".join(verdict.sites)
    parts = [f"outcome {verdict.outcome}" if verdict.outcome in FLAGGING_OUTCOMES else "", sites]
    return "; ".join(p for p in parts if p) or "flagged"


# --- output ----------------------------------------------------------------------------------
def render(scores: list[Score], skipped: list[str]) -> str:
    lines = [
        f"{'tool':8} {'caught':>9} {'recall':>7} {'flagged right':>14} {'false':>6} "
        f"{'right line':>11} {'rate':>6}  targets",
    ]
    for s in scores:
        met = s.meets()
        target = TARGETS[s.tool]
        status = "met" if all(met.values()) else "NOT met: " + ", ".join(k for k, v in met.items() if not v)
        lines.append(
            f"{s.tool:8} {s.caught:>4}/{s.wrong:<4} {s.recall:>7.3f} {s.flagged_right:>7}/{s.right:<6} "
            f"{s.false_rate:>6.3f} {s.right_line:>5}/{s.caught:<5} {s.right_line_rate:>6.3f}  "
            f"recall>={target['recall']:g} false<={target['false_rate']:g} "
            f"line>={target['right_line']:g}: {status}"
        )
    for s in scores:
        for title, items in (
            ("missed", s.misses),
            ("wrongly flagged", s.false_reports),
            ("caught at another line", s.wrong_lines),
            ("not measured", s.failed),
        ):
            if items:
                lines.append(f"\n{s.tool}: {title} ({len(items)})")
                lines.extend(f"  {item}" for item in items)
    if skipped:
        lines.append(f"\nnot run on Python {sys.version_info[0]}.{sys.version_info[1]}: {', '.join(skipped)}")
    return "\n".join(lines) + "\n"


def as_json(scores: list[Score], verdicts: dict[str, list[Verdict]], skipped: list[str]) -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "skipped": skipped,
        "scores": {
            s.tool: {
                "wrong": s.wrong, "caught": s.caught, "recall": s.recall,
                "right": s.right, "flagged_right": s.flagged_right, "false_rate": s.false_rate,
                "right_line": s.right_line, "right_line_rate": s.right_line_rate,
                "errors": s.errors, "meets": s.meets(), "targets": TARGETS[s.tool],
                "misses": s.misses, "false_reports": s.false_reports,
                "caught_at_another_line": s.wrong_lines, "not_measured": s.failed,
            }
            for s in scores
        },
        "verdicts": {
            tool: [dataclasses.asdict(v) | {"flagged": v.flagged} for v in items]
            for tool, items in verdicts.items()
        },
    }


def evaluate(
    tools: Iterable[str] = ("runtime", "check"),
    only: Iterable[str] = (),
    jobs: int = 6,
    check_cli: bool = False,
    timeout: float = 30.0,
) -> tuple[list[Score], dict[str, list[Verdict]]]:
    entries = load_entries(only)
    verdicts: dict[str, list[Verdict]] = {}
    if "runtime" in tools:
        verdicts["runtime"] = run_runtime_all(entries, jobs, timeout)
    if "check" in tools:
        verdicts["check"] = run_check_all(entries, cli=check_cli, jobs=jobs)
    return [score(tool, entries, items) for tool, items in verdicts.items()], verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tool", choices=("runtime", "check", "both"), default="both")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="only this function (repeatable)")
    parser.add_argument("--jobs", type=int, default=6, help="servers at a time (default 6)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per function (default 30)")
    parser.add_argument("--check-cli", action="store_true", help="run `lastword check` as a command")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every result to FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what each function got")
    args = parser.parse_args(argv)
    tools = ("runtime", "check") if args.tool == "both" else (args.tool,)
    started = time.monotonic()
    scores, verdicts = evaluate(tools, args.only, args.jobs, args.check_cli, args.timeout)
    skipped = skipped_entries()
    if args.verbose:
        for tool, items in verdicts.items():
            print(f"== {tool}")
            for v in items:
                mark = "FLAGGED" if v.flagged else "clean"
                print(f"{v.name:48} {v.label:5} {mark:7} {v.status or '':>3} {v.seconds:5.1f}s  {', '.join(v.sites)}")
                for report in v.reports:
                    print(f"    {report}")
                if v.error:
                    print(f"    ERROR {v.error}")
        print()
    print(render(scores, skipped), end="")
    print(f"\n{len(load_entries(args.only))} functions in {time.monotonic() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(as_json(scores, verdicts, skipped), indent=2) + "\n")
    return 0 if all(all(s.meets().values()) for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
