#!/usr/bin/env python3
"""Cold start in the container image that ``lastword deploy container`` writes (issue 8.3).

    python bench/container_coldstart.py [--runs 10]

Builds the image for the hello function of bench/functions/main.py with podman (the machine's
settings and local base image come from scripts/container-tools, as in the container test), then
times, for each run, ``podman run`` until the first 200 on 127.0.0.1, in two ways:

* ``podman run`` to the first 200: the container created and started, and lastword's start;
* ``podman start`` to the first 200, for a container created beforehand: runc starting the
  process, and lastword's start (closest to what a platform's instance start costs, the image
  being already on the node).

Both with the container limited to one CPU (``--cpus 1``), as an instance with one vCPU.
Everything on loopback (``--network=host``); each container is removed after its run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import _venvs  # noqa: E402 - the bench venvs (this checkout's lastword)


def podman_settings() -> tuple[list[str], dict[str, str], str]:
    tools = subprocess.run(
        ["bash", str(REPO / "scripts" / "container-tools")], capture_output=True, text=True, timeout=900
    )
    if tools.returncode != 0:
        sys.exit(f"scripts/container-tools failed ({tools.returncode}):\n{tools.stderr[-2000:]}")
    settings = dict(line.split("=", 1) for line in tools.stdout.splitlines() if "=" in line)
    env = {**os.environ, "CONTAINERS_CONF": settings["CONTAINERS_CONF"]}
    return ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"], env, settings["PYTHON_IMAGE"]


def build(podman: list[str], env: dict[str, str], python_image: str, folder: Path) -> str:
    wheels = folder / "base" / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", str(REPO), "-w", str(wheels)],
                   check=True, timeout=900)
    (folder / "base" / "Containerfile").write_text(
        f"FROM {python_image}\nCOPY wheels /wheels\nENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheels\n"
    )
    base = "localhost/lastword-bench-base:latest"
    subprocess.run([*podman, "build", "-q", "--network=host", "-t", base, str(folder / "base")],
                   check=True, env=env, timeout=900, capture_output=True)
    app = folder / "app"
    app.mkdir()
    shutil.copy(REPO / "bench" / "functions" / "main.py", app / "main.py")
    setup: list[str] = []
    lastword = _venvs.lastword_python(setup)  # bench/.venvs/lastword (made if missing)
    subprocess.run([lastword, "-m", "lastword", "deploy", "container", "main.py", "--target",
                    "hello_sync"], check=True, cwd=app, timeout=120, capture_output=True)
    image = "localhost/lastword-bench-hello:latest"
    subprocess.run([*podman, "build", "-q", "--network=host", "--build-arg", f"PYTHON_IMAGE={base}",
                    "-t", image, str(app)], check=True, env=env, timeout=900, capture_output=True)
    return image


def first_200(port: int, started: float, timeout: float = 30.0) -> float:
    while time.monotonic() - started < timeout:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        except http.client.HTTPException:
            pass
        time.sleep(0.001)
    raise RuntimeError("no 200 in time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    podman, env, python_image = podman_settings()
    folder = Path(tempfile.mkdtemp(prefix="container-coldstart-"))
    image = build(podman, env, python_image, folder)
    whole: list[float] = []
    inside: list[float] = []
    port = 18931
    for run in range(args.runs):
        name = f"lw-cold-{os.getpid()}-{run}"
        common = ["--network=host", "--cpus", "1", "--env", f"PORT={port}", "--env", "HOST=127.0.0.1"]
        started = time.monotonic()
        subprocess.run([*podman, "run", "--detach", "--name", name, *common, image],
                       check=True, env=env, capture_output=True, timeout=60)
        whole.append(first_200(port, started))
        subprocess.run([*podman, "rm", "--force", "--time", "2", name], env=env, capture_output=True, timeout=60)
        subprocess.run([*podman, "create", "--name", name, *common, image],
                       check=True, env=env, capture_output=True, timeout=60)
        started = time.monotonic()
        subprocess.run([*podman, "start", name], check=True, env=env, capture_output=True, timeout=60)
        inside.append(first_200(port, started))
        subprocess.run([*podman, "rm", "--force", "--time", "2", name], env=env, capture_output=True, timeout=60)
    print(f"python bench/container_coldstart.py --runs {args.runs}; load {os.getloadavg()}")
    print(f"image {image}, {args.runs} runs, one CPU (--cpus 1):")
    print(f"  podman run -> first 200:   median {statistics.median(whole) * 1000:.0f} ms "
          f"(min {min(whole) * 1000:.0f}, max {max(whole) * 1000:.0f})")
    print(f"  podman start -> first 200: median {statistics.median(inside) * 1000:.0f} ms "
          f"(min {min(inside) * 1000:.0f}, max {max(inside) * 1000:.0f})")
    subprocess.run([*podman, "rmi", "--force", image], env=env, capture_output=True, timeout=120)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
