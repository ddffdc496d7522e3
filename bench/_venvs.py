"""The two virtual environments the benchmark runs from, and their bytecode.

* ``bench/.venvs/lastword``: this checkout installed (editable); also runs the bare server
  and the cold-start floors (it has uvicorn, uvloop, httptools, starlette and flask).
* ``bench/.venvs/ff``: functions-framework 3.10.2 as shipped (no uvloop, no httptools).

Both are git-ignored and created on first use with pip. ``compile_bytecode`` does what a
container build does (``python -m compileall``) so that no runtime compiles its sources at
start-up: pip compiles what it installs, but not an editable checkout (``src/lastword``) nor the
function's folder, and this machine sets PYTHONDONTWRITEBYTECODE=1, so without it lastword and
the user's module were compiled again on every cold start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import _harness as h

BENCH = h.BENCH_DIR
REPO = h.REPO_DIR
LW_VENV = BENCH / ".venvs" / "lastword"
FF_VENV = BENCH / ".venvs" / "ff"
FF_SPEC = "functions-framework==3.10.2"
FF_ASGI_DEPS = ["starlette", "uvicorn", "uvicorn-worker"]  # what `--asgi` imports
FLOOR_DEPS = ["uvicorn"]
"""The bare server of the floors and of the "bare" runtime (lastword itself no longer uses it)."""


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
        script = LW_VENV / "bin" / "lastword"
        stale = script.exists() and "lastword._main" not in script.read_text()
        has_floor = subprocess.run(
            [str(py), "-c", "import uvicorn"], capture_output=True, timeout=60
        ).returncode == 0
        if not script.exists() or stale or not has_floor:
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e",
                 str(REPO), *FLOOR_DEPS],
                check=True,
                timeout=600,
            )
            log.append("installed this checkout (editable) in bench/.venvs/lastword")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        return f"could not set up {LW_VENV}: {e}"
    return ""


def lastword_python(log: list[str]) -> str:
    return str(LW_VENV / "bin" / "python") if not ensure_lastword_venv(log) else sys.executable


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
                str(py), "-m", "pip", "install", "--dry-run", "-q", "--report", "-",
                "--disable-pip-version-check", "--no-deps", FF_SPEC,
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


def compile_bytecode(log: list[str]) -> str:
    """``python -m compileall`` over both venvs, src/ and bench's function folder.

    What a container build does with a `RUN python -m compileall ...` step, so that an
    instance never compiles at start-up. Idempotent and quick when nothing changed.
    Returns '' or an error.
    """
    jobs = []
    for venv in (LW_VENV, FF_VENV):
        py = venv / "bin" / "python"
        if py.exists():
            jobs.append((py, [venv / "lib"]))
    if jobs:
        py0 = jobs[0][0]
        jobs.append((py0, [REPO / "src", BENCH / "functions"]))
        # bench/*.py only (server_apps, _floor...), not bench/.venvs again
        jobs.append((py0, ["-l", BENCH]))
    for py, targets in jobs:
        argv = [str(py), "-m", "compileall", "-q", "-j", "0", *map(str, targets)]
        try:
            res = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
        except (subprocess.TimeoutExpired, OSError) as e:
            return f"compileall failed: {e}"
        if res.returncode != 0:
            # a file that does not compile (e.g. a py2 test file shipped in a package) is not
            # ours to fix; say so and go on: the rest is compiled
            first = (res.stdout + res.stderr).strip().splitlines()[:1]
            log.append(f"compileall {' '.join(map(str, targets))}: {first[0] if first else 'failed'}")
    log.append("bytecode compiled beforehand: `python -m compileall` over both venvs, src/, "
               "bench/functions/ and bench/*.py")
    return ""
