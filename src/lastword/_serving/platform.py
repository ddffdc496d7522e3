"""The operating system's part: Linux facilities the supervisor relies on, each with what happens
where it is missing (the supervisor still runs; the docs say what is lost)."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
LINUX = sys.platform.startswith("linux")


def _prctl(option: int, value: int) -> bool:
    if not LINUX:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent() -> bool:
    """This process is killed when its parent dies (a worker must not outlive its supervisor)."""
    return _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def adopt_orphans() -> bool:
    """Orphaned descendants become this process's children (so it reaps and can end them), as
    they would for PID 1 in a container."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def raise_fd_limit() -> int:
    """Lift the soft limit on open files to the hard one; returns the limit in effect."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            return hard
        except (ValueError, OSError):
            pass
    return soft


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(pid: int) -> int | None:
    """Resident memory of ``pid`` and its descendants, in bytes (None where /proc cannot tell)."""
    total = 0
    pending = [pid]
    seen = 0
    while pending and seen < 4096:
        current = pending.pop()
        seen += 1
        try:
            with open(f"/proc/{current}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * _PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, IndexError):
            if current == pid:
                return None
    return total
