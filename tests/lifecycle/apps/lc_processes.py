"""Functions that run shell commands: one leaves a process running behind the shell, others not."""

from __future__ import annotations

import shlex
import subprocess
import sys

SLEEPER = f"{shlex.quote(sys.executable)} -c 'import time; time.sleep(0.6)'"


def shell_background(request):
    subprocess.run(f"{SLEEPER} &", shell=True, check=True)
    return "warming up"


def shell_nohup(request):
    subprocess.run(f"nohup {SLEEPER} >/dev/null 2>&1 &", shell=True, check=True)
    return "started"


def shell_foreground(request):
    subprocess.run(SLEEPER.replace("0.6", "0.05"), shell=True, check=True)
    return "done"


def shell_background_waited(request):
    subprocess.run(f"{SLEEPER.replace('0.6', '0.05')} & wait", shell=True, check=True)
    return "done"
