"""Benchmark ``lastword check`` on real code: the installed sources of the project's deps.

Run: ``python bench/check_speed.py`` (optionally ``--min-lines N``, ``--repeat N``).

Each installed package is checked as one project (its modules import each other),
once as ``lastword check`` does it (entry points only) and once in a stress mode
that analyses *every* function as if an entry point reached it, to show that no
file makes the analysis crash. Prints lines/s for both and exits non-zero on a
crash or when fewer lines than ``--min-lines`` were found. Parsing alone (``ast.parse``)
is timed in the same runs, interleaved, as the floor on this shared machine: the ratio
of the check to it does not move with the machine's load the way lines/s do.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import importlib.util
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lastword._check._analyze import check_sources  # noqa: E402

PACKAGES = [
    "flask", "werkzeug", "starlette", "uvicorn", "click", "jinja2", "itsdangerous",
    "markupsafe", "blinker", "anyio", "h11", "httpx", "httpcore", "httptools", "uvloop",
    "websockets", "watchfiles", "dotenv", "yaml", "idna", "sniffio", "certifi",
    "functions_framework", "cloudevents", "gunicorn", "jsonschema", "pytest", "_pytest",
    "pluggy", "mypy", "pip",
]


def package_sources(name: str) -> dict[str, bytes]:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return {}
    origin = Path(spec.origin)
    if origin.name == "__init__.py":
        files = sorted(origin.parent.rglob("*.py"))
        base = origin.parent.parent
    elif origin.suffix == ".py":
        files, base = [origin], origin.parent
    else:
        return {}
    return {f.relative_to(base).as_posix(): f.read_bytes() for f in files}


def count_lines(sources: dict[str, bytes]) -> int:
    return sum(src.count(b"\n") + (0 if src.endswith(b"\n") or not src else 1) for src in sources.values())


def timed(projects: list[dict[str, bytes]], all_functions: bool) -> tuple[float, int, list[str]]:
    crashes: list[str] = []
    findings = 0
    start = time.perf_counter()
    for sources in projects:
        try:
            findings += len(check_sources(sources, all_functions=all_functions))
        except Exception:  # pragma: no cover - reported below
            for path, src in sources.items():  # find the file
                try:
                    check_sources({path: src}, all_functions=all_functions)
                except Exception:
                    crashes.append(f"{path}: {traceback.format_exc(limit=3)}")
    return time.perf_counter() - start, findings, crashes


def parse_only(projects: list[dict[str, bytes]]) -> float:
    """Parse every project's modules, keeping them alive as the check does (with the cyclic
    collector paused, as it is there)."""
    start = time.perf_counter()
    gc.disable()
    try:
        for sources in projects:
            trees = []
            for path, src in sources.items():
                with contextlib.suppress(SyntaxError, ValueError):
                    trees.append(ast.parse(src, filename=path))
            del trees
    finally:
        gc.enable()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    projects: list[dict[str, bytes]] = []
    used: list[str] = []
    for name in PACKAGES:
        sources = package_sources(name)
        if sources:
            projects.append(sources)
            used.append(name)
    files = sum(len(p) for p in projects)
    lines = sum(count_lines(p) for p in projects)
    print(f"python {sys.version.split()[0]}; packages: {', '.join(used)}")
    print(f"files: {files}, lines: {lines}")

    status = 0
    parse_best = float("inf")
    for label, stress in (("check (entry points)", False), ("stress (every function)", True)):
        best = float("inf")
        for _ in range(args.repeat):
            if not stress:
                # The floor on this machine right now: parsing alone, interleaved with the
                # check runs so that both see the same load (the machine is shared).
                parse_best = min(parse_best, parse_only(projects))
            elapsed, findings, crashes = timed(projects, stress)
            best = min(best, elapsed)
            if crashes:
                print(f"{label}: CRASH in {len(crashes)} file(s)")
                for crash in crashes[:10]:
                    print(crash)
                status = 1
                break
        if not stress:
            print(
                f"parse only (ast.parse, the floor): {parse_best:.2f} s best of {args.repeat}, "
                f"{lines / parse_best:,.0f} lines/s"
            )
        print(
            f"{label}: {best:.2f} s best of {args.repeat}, {lines / best:,.0f} lines/s, "
            f"{findings} findings, crashes: 0" if status == 0 else f"{label}: failed"
        )
        if not stress and status == 0:
            print(f"check / parse only: {best / parse_best:.2f}x the time of parsing alone")
    if lines < args.min_lines:
        print(f"only {lines} lines found (< {args.min_lines}): install more packages")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
