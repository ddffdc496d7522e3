"""A real image from ``lastword deploy container``: built with podman, run, asked, stopped.

No registry is reachable here, so the base image is a local stand-in for ``python:3.11-slim``
made by ``scripts/container-tools`` (Debian's python3 on a debootstrap root, cached between runs),
and lastword is a wheel of this checkout, put where pip in the image finds it without an index
(``PIP_FIND_LINKS``). The generated Dockerfile itself is used unchanged, apart from the
``PYTHON_IMAGE`` build argument that exists for exactly this.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import CI, REPO
from .test_dockerfile import hadolint

pytestmark = [pytest.mark.container, pytest.mark.timeout(900)]

TAG = f"{os.getpid()}-{time.monotonic_ns()}"


class Podman:
    """podman with the settings this kind of machine needs (../shared/deploy/CONTAINERS.md)."""

    def __init__(self, conf: str, python_image: str):
        self.env = {**os.environ, "CONTAINERS_CONF": conf}
        self.python_image = python_image
        self.images: list[str] = []

    def __call__(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=self.env)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result

    def build(self, context: Path, tag: str, *build_args: str) -> float:
        started = time.monotonic()
        args = [a for value in build_args for a in ("--build-arg", value)]
        self("build", "--network=host", "--layers=false", *args, "-t", tag, str(context), timeout=600)
        self.images.append(tag)
        return time.monotonic() - started


@pytest.fixture(scope="session")
def podman(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Podman]:
    """Tools installed (scripts/container-tools), and a base image whose pip finds this
    checkout's wheel and its dependencies in /wheels."""
    tools = subprocess.run(
        ["bash", str(REPO / "scripts" / "container-tools")], capture_output=True, text=True, timeout=900
    )
    if tools.returncode == 2 and not CI:
        pytest.skip(f"container tools unavailable: {tools.stderr.strip()}")
    assert tools.returncode == 0, f"scripts/container-tools failed:\n{tools.stderr[-3000:]}"
    settings = dict(line.split("=", 1) for line in tools.stdout.splitlines() if "=" in line)
    runner = Podman(settings["CONTAINERS_CONF"], settings["PYTHON_IMAGE"])

    context = tmp_path_factory.mktemp("base")
    wheels = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", str(REPO), "six", "-w", str(context / "wheels")],
        capture_output=True, text=True, timeout=600,
    )
    assert wheels.returncode == 0, wheels.stderr[-3000:]
    (context / "Containerfile").write_text(
        f"FROM {runner.python_image}\nCOPY wheels /wheels\nENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheels\n"
    )
    runner.build(context, f"localhost/lastword-test-base:{TAG}")
    try:
        yield runner
    finally:
        for image in reversed(runner.images):
            runner("rmi", "--force", image, check=False)


FUNCTION = textwrap.dedent(
    """\
    import importlib.util
    import os
    import threading
    import time

    import six


    def leaky(request):
        threading.Thread(target=time.sleep, args=(3,), name="uploader").start()
        return {
            "uid": os.getuid(),
            "cwd": os.getcwd(),
            "compiled": os.path.exists(__cached__),
            "six": six.__version__,
            "target": os.environ.get("FUNCTION_TARGET"),
            "this_checkout": importlib.util.find_spec("lastword._deploy") is not None,
        }
    """
)
LEAK_LINE = FUNCTION.splitlines().index('    threading.Thread(target=time.sleep, args=(3,), name="uploader").start()') + 1


@pytest.fixture(scope="module")
def image(podman: Podman, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("function")
    (folder / "main.py").write_text(FUNCTION)
    (folder / "requirements.txt").write_text("six\n")
    (folder / ".venv").mkdir()  # must stay out of the image (.dockerignore)
    (folder / ".venv" / "big").write_bytes(b"\0" * 1_000_000)
    generated = subprocess.run(
        [sys.executable, "-m", "lastword", "deploy", "container", "main.py", "--target", "leaky"],
        capture_output=True, text=True, timeout=60, cwd=folder,
    )
    assert generated.returncode == 0, generated.stderr
    lint = hadolint((folder / "Dockerfile").read_text(), tmp_path_factory.mktemp("lint"))
    assert (lint.returncode, lint.stdout) == (0, "")
    tag = f"localhost/lastword-test-fn:{TAG}"
    seconds = podman.build(folder, tag, f"PYTHON_IMAGE=localhost/lastword-test-base:{TAG}")
    print(f"image built in {seconds:.1f} s")
    yield tag


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _logs(podman: Podman, name: str) -> str:
    result = podman("logs", name, check=False)
    return result.stdout + result.stderr


def _wait_for(podman: Podman, name: str, needle: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = _logs(podman, name)
        if needle in logs:
            return logs
        state = podman("inspect", "--format", "{{.State.Status}}", name, check=False).stdout.strip()
        if state in ("exited", "stopped"):
            break
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not in the container's log:\n{_logs(podman, name)}")


def test_the_image_serves_the_function_and_reports_its_leftover(podman: Podman, image: str) -> None:
    port = _free_port()
    name = f"lastword-test-{TAG}"
    # as the platform runs it: K_SERVICE set (lastword then logs JSON for Cloud Logging)
    podman("run", "--detach", "--network=host", "--name", name,
           "--env", f"PORT={port}", "--env", "HOST=127.0.0.1", "--env", "K_SERVICE=leaky", image)
    try:
        _wait_for(podman, name, "lastword: serving leaky (http) from /workspace/main.py")
        body = _get_json(f"http://127.0.0.1:{port}/")
        assert body.pop("six").startswith("1.")  # requirements.txt was installed
        assert body == {
            "uid": 10001, "cwd": "/workspace", "compiled": True, "target": "leaky", "this_checkout": True,
        }
        logs = _wait_for(podman, name, "was still running when invocation")
        reports = [json.loads(line) for line in logs.splitlines() if line.startswith("{") and "still running" in line]
        assert len(reports) == 1, logs
        assert reports[0]["severity"] == "WARNING"
        assert reports[0]["message"].startswith(f"/workspace/main.py:{LEAK_LINE} in leaky: thread 'uploader'")
        assert reports[0]["logging.googleapis.com/sourceLocation"]["file"] == "/workspace/main.py"
        assert reports[0]["logging.googleapis.com/labels"]["service"] == "leaky"

        files = podman("run", "--rm", "--network=host", "--entrypoint", "ls", image, "-A", "/workspace", timeout=60)
        assert ".venv" not in files.stdout.split() and "main.py" in files.stdout.split()

        started = time.monotonic()
        podman("stop", "--time", "15", name, timeout=60)  # SIGTERM to lastword, PID 1
        stopped_in = time.monotonic() - started
        status = podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
        assert status == "0", _logs(podman, name)
        assert stopped_in < 14, f"SIGTERM took {stopped_in:.1f} s: was it ignored until SIGKILL?"
    finally:
        podman("rm", "--force", name, check=False)


def _get_json(url: str) -> Any:
    deadline = time.monotonic() + 10
    while True:
        try:
            response = httpx.get(url, timeout=10)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert response.status_code == 200, response.text
    return response.json()


def test_tools_script_is_idempotent_and_quick_once_done() -> None:
    if shutil.which("podman") is None:
        pytest.skip("podman not installed")
    started = time.monotonic()
    again = subprocess.run(["bash", str(REPO / "scripts" / "container-tools")], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - started < 30
    assert "PYTHON_IMAGE=localhost/lastword-test-python:3.11" in again.stdout
