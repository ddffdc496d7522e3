"""Tracking's hooks: what install() wraps, uninstall() gives back exactly; lastword.testing leaves
the test process as it found it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Every standard-library entry point the hooks may replace, named here independently of the
# hooks' own table, so that a patch uninstall() forgets fails this test.
ENTRY_POINTS = textwrap.dedent(
    """
    import asyncio, asyncio.tasks, concurrent.futures, gc, multiprocessing.process, subprocess
    import threading, warnings

    def snapshot():
        return {
            "Thread.start": threading.Thread.__dict__.get("start"),
            "Timer.start": threading.Timer.__dict__.get("start"),
            "ThreadPoolExecutor.submit": concurrent.futures.ThreadPoolExecutor.__dict__.get("submit"),
            "ProcessPoolExecutor.submit": concurrent.futures.ProcessPoolExecutor.__dict__.get("submit"),
            "Executor.submit": concurrent.futures.Executor.__dict__.get("submit"),
            "Popen.__init__": subprocess.Popen.__dict__.get("__init__"),
            "BaseProcess.start": multiprocessing.process.BaseProcess.__dict__.get("start"),
            "warnings._warn_unawaited_coroutine": warnings.__dict__.get("_warn_unawaited_coroutine", "missing"),
            "asyncio.run_coroutine_threadsafe": asyncio.run_coroutine_threadsafe,
            "asyncio.tasks.run_coroutine_threadsafe": asyncio.tasks.run_coroutine_threadsafe,
            "gc.callbacks": tuple(gc.callbacks),
            "get_event_loop_policy": asyncio.get_event_loop_policy(),
        }
    """
)


def _run(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", ENTRY_POINTS + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_uninstall_gives_back_exactly_what_install_replaced() -> None:
    """In a fresh interpreter: nothing is patched by importing lastword; install() changes the
    entry points the README names; uninstall() puts back the very same objects."""
    data = _run(
        """
        import json
        before = snapshot()
        import lastword, lastword.testing
        from lastword import _tracking
        imported = snapshot()
        _tracking.install()
        installed = snapshot()
        _tracking.install()        # a second user (another in-process server)
        _tracking.uninstall()      # ... leaves: the hooks stay for the first
        still = snapshot()
        _tracking.uninstall()
        after = snapshot()
        _tracking.uninstall()      # one too many: harmless
        print(json.dumps({
            "import_changes": [k for k in before if before[k] is not imported[k]],
            "install_changes": sorted(k for k in before if before[k] != installed[k]),
            "kept_for_first_user": [k for k in before if installed[k] != still[k]],
            "not_restored": [k for k in before if before[k] is not after[k] and before[k] != after[k]],
            "not_identical": [k for k in before if k != "gc.callbacks" and before[k] is not after[k]],
        }))
        """
    )
    assert data["import_changes"] == []
    assert data["install_changes"] == sorted([
        "Thread.start", "ThreadPoolExecutor.submit", "ProcessPoolExecutor.submit", "Popen.__init__",
        "BaseProcess.start", "warnings._warn_unawaited_coroutine", "asyncio.run_coroutine_threadsafe",
        "asyncio.tasks.run_coroutine_threadsafe", "gc.callbacks",
    ])
    assert data["kept_for_first_user"] == []
    assert data["not_restored"] == []
    assert data["not_identical"] == []


def test_a_foreign_loop_gets_its_task_factory_back() -> None:
    data = _run(
        """
        import asyncio, json
        from lastword import _tracking
        loop = asyncio.new_event_loop()
        _tracking.install()
        _tracking.adopt_loop(loop)
        adopted = loop.get_task_factory() is not None
        _tracking.uninstall()
        print(json.dumps({"adopted": adopted, "after": loop.get_task_factory() is None}))
        loop.close()
        """
    )
    assert data == {"adopted": True, "after": True}


def test_testing_client_leaves_the_process_as_it_found_it(tmp_path: Path) -> None:
    """Hooks, logging and stdout/stderr after the last in-process client closes: as before."""
    source = tmp_path / "main.py"
    source.write_text(
        "import threading, time\n"
        "def leaky(request):\n"
        "    threading.Thread(target=time.sleep, args=(0.05,)).start()\n"
        "    return 'ok'\n"
    )
    data = _run(
        f"""
        import json, logging, sys
        def state():
            loggers = ["", "lastword", "lastword.request", "uvicorn", "uvicorn.error", "uvicorn.access"]
            return {{
                **{{k: v for k, v in snapshot().items() if k != "gc.callbacks"}},
                "gc.callbacks": len(snapshot()["gc.callbacks"]),
                **{{f"handlers {{n}}": tuple(logging.getLogger(n).handlers) for n in loggers}},
                **{{f"level {{n}}": logging.getLogger(n).level for n in loggers}},
                **{{f"propagate {{n}}": logging.getLogger(n).propagate for n in loggers}},
                "stdout": sys.stdout, "stderr": sys.stderr,
            }}
        before = state()
        from lastword.testing import Client
        first = Client({str(source)!r}, target="leaky", allow_leftovers=True)
        second = Client({str(source)!r}, target="leaky", allow_leftovers=True)
        during = state()
        reported = len(first.get("/").report.leftovers)
        first.close()
        between = state()
        second.close()
        after = state()
        print(json.dumps({{
            "reported": reported,
            "hooked_while_open": during["Thread.start"] is not before["Thread.start"],
            "hooked_between": between["Thread.start"] is not before["Thread.start"],
            "changed": [k for k in before if before[k] is not after[k] and before[k] != after[k]],
        }}))
        """
    )
    assert data == {"reported": 1, "hooked_while_open": True, "hooked_between": True, "changed": []}


def test_modules_imported_later_are_patched_when_imported() -> None:
    """Installing does not import multiprocessing or process pools (costly at start-up): they are
    patched when the function imports them, and given back like the others."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(
            """
            import json, sys
            from lastword import _tracking
            _tracking.install()
            loaded_by_install = [m for m in ("multiprocessing", "concurrent.futures.process") if m in sys.modules]
            import multiprocessing.process, concurrent.futures
            from lastword._tracking import _hooks
            patched = (
                multiprocessing.process.BaseProcess.start is _hooks._mp_start
                and concurrent.futures.ProcessPoolExecutor.submit is _hooks._process_pool_submit
            )
            _tracking.uninstall()
            restored = (
                multiprocessing.process.BaseProcess.start is not _hooks._mp_start
                and concurrent.futures.ProcessPoolExecutor.submit is not _hooks._process_pool_submit
                and _hooks._finder not in sys.meta_path
            )
            print(json.dumps([loaded_by_install, patched, restored]))
            """
        )],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [[], True, True]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux child subreaper")
def test_the_child_subreaper_is_given_back(tmp_path: Path) -> None:
    """A function that runs a child process makes the process adopt what its children leave behind
    (to report it); the last in-process client's close gives that back."""
    source = tmp_path / "main.py"
    source.write_text(
        "import subprocess\n"
        "def run(request):\n"
        "    subprocess.run(['true'], check=True)\n"
        "    return 'ok'\n"
    )
    data = _run(
        f"""
        import ctypes, json
        def subreaper():
            value = ctypes.c_int(-1)
            ctypes.CDLL(None).prctl(37, ctypes.byref(value), 0, 0, 0)  # PR_GET_CHILD_SUBREAPER
            return value.value
        from lastword.testing import Client
        before = subreaper()
        with Client({str(source)!r}, target="run") as client:
            status = client.get("/").status
            during = subreaper()
        print(json.dumps({{"status": status, "before": before, "during": during, "after": subreaper()}}))
        """
    )
    assert data == {"status": 200, "before": 0, "during": 1, "after": 0}
