"""Functions run in child processes (a module without import-time side effects)."""

from __future__ import annotations

import os
import time


def crunch(tag: str, release_file: str) -> None:
    deadline = time.monotonic() + 30
    while not os.path.exists(release_file) and time.monotonic() < deadline:
        time.sleep(0.05)
