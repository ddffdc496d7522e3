"""The command line a functions-framework user types, and the options of ``serve``: real
processes, each flag either working or refused with what to use instead."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import APPS, Served, run_lastword
from lastword import __version__
from lastword._cli import _env_of
from lastword._options import SERVE_OPTIONS

_STARTED = re.compile(r"lastword: serving (\S+) \((\w+)\) from (\S+) at http://(\S+?):(\d+)")


def launch(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Served, re.Match[str]]:
    """Run ``python -m lastword ARGS`` (no subcommand added) until it prints its start-up line."""
    log = tmp_path / f"cli-{time.monotonic_ns()}.log"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FUNCTION_")}
    full_env.update({"PYTHONUNBUFFERED": "1", **(env or {})})
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "lastword", *args],
            stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=tmp_path,
        )
    served = Served(process, log)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        match = _STARTED.search(served.logs())
        if match:
            served.url = f"http://{match.group(4)}:{match.group(5)}"
            return served, match
        if process.poll() is not None:
            raise AssertionError(f"lastword exited with {process.returncode}:\n{served.logs()}")
        time.sleep(0.02)
    served.stop()
    raise AssertionError(f"lastword did not start:\n{served.logs()}")


@pytest.fixture
def launched(tmp_path: Path):  # type: ignore[no-untyped-def]
    servers: list[Served] = []

    def start(*args: str, env: dict[str, str] | None = None) -> tuple[Served, re.Match[str]]:
        served, match = launch(tmp_path, *args, env=env)
        servers.append(served)
        return served, match

    yield start
    for served in servers:
        served.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


SOURCE = str(APPS / "http_basic.py")


def test_ff_command_line_without_subcommand(launched) -> None:  # type: ignore[no-untyped-def]
    """`functions-framework --target hello --source ... --port ... --debug` typed as lastword."""
    port = _free_port()
    served, match = launched(
        "--target", "hello", "--source", SOURCE, "--signature-type", "http",
        "--host", "127.0.0.1", "--port", str(port), "--debug",
    )
    assert match.groups() == ("hello", "http", SOURCE, "127.0.0.1", str(port))
    response = served.get("/")
    assert (response.status_code, response.text) == (200, "Hello, World!")


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--target", "hello"], {"FUNCTION_SOURCE": SOURCE, "PORT": "0", "HOST": "127.0.0.1"}, "hello"),
        ([], {"FUNCTION_TARGET": "hello", "FUNCTION_SOURCE": SOURCE, "PORT": "0", "HOST": "127.0.0.1", "DEBUG": "1"}, "hello"),
        ([SOURCE, "--target", "hello", "--port", "0", "--host", "127.0.0.1"], {}, "hello"),
    ],
    ids=["flags-and-ff-env", "bare-command-with-FUNCTION_TARGET", "source-first"],
)
def test_ff_habits_serve(launched, args: list[str], env: dict[str, str], expected: str) -> None:  # type: ignore[no-untyped-def]
    served, match = launched(*args, env=env)
    assert match.group(1) == expected
    assert served.get("/").status_code == 200


def test_ff_worker_and_thread_variables(launched) -> None:  # type: ignore[no-untyped-def]
    served, _ = launched("--target", "hello", "--source", SOURCE, "--port", "0", "--host", "127.0.0.1",
                         env={"THREADS": "3", "WORKERS": "1"})
    assert "1 worker, 3 threads" in served.logs()


@pytest.mark.parametrize(
    ("args", "env", "fix"),
    [
        (["--target", "hello", "--asgi"], {}, "drop --asgi"),
        (["serve", "--asgi", "--target", "hello"], {}, "drop --asgi"),
        (["--target", "hello"], {"FUNCTION_USE_ASGI": "true"}, "unset FUNCTION_USE_ASGI"),
    ],
)
def test_asgi_mode_is_refused_with_what_to_do(args: list[str], env: dict[str, str], fix: str, tmp_path: Path) -> None:
    result = run_lastword(*args, "--source", SOURCE, cwd=tmp_path, env=env)
    assert result.returncode == 2
    message = result.stderr.split("Error: ", 1)[1]
    assert message.startswith("lastword needs no ASGI mode: it serves `async def` functions with a Starlette request")
    assert fix in message and message.count(". ") == 0  # one sentence


def test_dry_run_loads_without_listening(tmp_path: Path) -> None:
    port = _free_port()
    ok = run_lastword("--target", "hello", "--source", SOURCE, "--port", str(port), "--dry-run", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"lastword: hello (http) from {SOURCE} loads; it would be served at http://0.0.0.0:{port}")
    with socket.socket() as sock:  # nothing is listening there
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    missing = run_lastword("--target", "nope", "--source", SOURCE, "--dry-run", cwd=tmp_path)
    assert missing.returncode == 3
    assert "function 'nope' is not defined" in missing.stderr and "Traceback" not in missing.stderr


def test_group_options_still_belong_to_the_group(tmp_path: Path) -> None:
    version = run_lastword("--version", cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout
    helped = run_lastword("--help", cwd=tmp_path)
    assert helped.returncode == 0 and "Commands:" in helped.stdout
    assert "`lastword --target hello` is short for" in helped.stdout
    bare = run_lastword(cwd=tmp_path, env={"FUNCTION_TARGET": ""})
    assert "Commands:" in bare.stdout + bare.stderr  # no target: the help, not a server
    unknown = run_lastword("servee", cwd=tmp_path)
    assert unknown.returncode == 2 and "No such command 'servee'" in unknown.stderr


def test_serve_version(tmp_path: Path) -> None:
    result = run_lastword("serve", "--version", cwd=tmp_path)
    assert result.returncode == 0 and __version__ in result.stdout


def test_serve_help_names_every_environment_variable(tmp_path: Path) -> None:
    result = run_lastword("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    named = [o.flag for o in SERVE_OPTIONS if _env_of(o.field)]
    assert len(named) >= 15
    for flag, field in ((o.flag, o.field) for o in SERVE_OPTIONS):
        env = _env_of(field)
        if env:
            assert f"env {env}." in text, (flag, env)
    assert "env FUNCTION_TARGET." in text and "env PORT." in text and "env LASTWORD_CPU." in text
    assert "--dry-run" in text and "--asgi" not in text  # refused, so not offered


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LASTWORD_BACKGROUND": "bogus"}, "environment variable LASTWORD_BACKGROUND='bogus': background must be one of warn, wait, cancel, error"),
        ({"PORT": "eighty"}, "environment variable PORT='eighty': port must be a whole number"),
        ({"CLOUD_RUN_TIMEOUT_SECONDS": "-3"}, "environment variable CLOUD_RUN_TIMEOUT_SECONDS='-3': timeout must be positive"),
        ({"THREADS": "0"}, "environment variable THREADS='0': threads must be between 1 and 10000"),
    ],
)
def test_environment_errors_name_the_variable(env: dict[str, str], message: str, tmp_path: Path) -> None:
    result = run_lastword("--target", "hello", "--source", SOURCE, cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
