"""Processes a child process left behind when it exited: ``sh -c "cmd &"``, ``nohup``, a daemon that
forks twice.

Such a grandchild outlives the child lastword tracked (the shell has exited, ``subprocess.run``
returned), so the child's own work is over while the process it started runs on after the response.
On Linux, once an invocation starts a child, the process becomes a *child subreaper*
(``PR_SET_CHILD_SUBREAPER``): a descendant orphaned by its parent's exit is then re-parented to this
process instead of to init, where lastword can see it. When an invocation that ran a child process
is settled, a child of this process that lastword did not start (not a tracked child) and that
started while one of the invocation's children was running, and after that child started, is the
work that child left behind: it is tracked as the invocation's, at the line that started the child.

What it cannot tell: two invocations running children at the same time, one of which leaves a
process behind, can both claim it. Other systems: not tracked (no subreaper).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._invocation import current

if TYPE_CHECKING:
    from .._invocation import Invocation, Work

_PR_SET_CHILD_SUBREAPER = 36
_TOLERANCE = 0.05
"""Seconds: process start times are kept in clock ticks (10 ms)."""

_lock = threading.Lock()
_reaping = False
"""This process made itself a child subreaper (and gives that back in :func:`release`)."""
_direct: set[int] = set()
"""Pids of the children this process started through ``Popen`` or ``multiprocessing`` (not
orphans), while the hooks are installed."""
_adopted: set[int] = set()
"""Pids already claimed by an invocation."""
_spawning = 0
"""Children being started right now (their pids not known yet)."""
_SPAWN_WAIT = 0.02
"""Seconds :func:`find` waits at most for children being started."""


class Spawn:
    """One child being started (see :func:`spawning`): when, and its pid once known."""

    __slots__ = ("at", "pid")

    def __init__(self, at: float) -> None:
        self.at = at
        self.pid: int | None = None


@contextlib.contextmanager
def spawning() -> Iterator[Spawn]:
    """Around starting a child process (set ``.pid`` once started): while one is being started,
    :func:`find` waits (briefly) for its pid, so that it is never taken for an orphan."""
    global _reaping, _spawning
    if current.get() is not None and not _reaping and sys.platform.startswith("linux"):
        with _lock:
            if not _reaping:  # the first child of an invocation: adopt what children leave
                _reaping = _prctl_subreaper(1)
    spawn = Spawn(clock())
    with _lock:
        _spawning += 1
    try:
        yield spawn
    finally:
        with _lock:
            _spawning -= 1
            if spawn.pid:
                _direct.add(spawn.pid)
                if len(_direct) > 1024:  # forget the children that are gone
                    _direct.intersection_update(_children())


def release() -> None:
    """Stop adopting orphans (the tracking hooks were removed: leave the process as found)."""
    global _reaping
    with _lock:
        if _reaping:
            _prctl_subreaper(0)
            _reaping = False
        _direct.clear()
        _adopted.clear()


def find(invocation: Invocation) -> list[Work]:
    """The processes left behind by ``invocation``'s child processes that have exited, tracked now
    as its work (call when it is settled)."""
    if not _reaping:
        return []
    from ._work import OrphanWork, ProcessWork

    exited = [
        w for w in invocation.work or ()
        if isinstance(w, ProcessWork) and not isinstance(w, OrphanWork) and not w.running()
    ]
    if not exited:
        return []
    deadline = time.monotonic() + _SPAWN_WAIT
    while _spawning and time.monotonic() < deadline:
        time.sleep(0.0005)  # another thread is starting a child: learn its pid first
    children = _children()
    with _lock:
        _direct.intersection_update(children)
        _adopted.intersection_update(children)
        unknown = children - _direct - _adopted
    found: list[Work] = []
    now = clock()
    for pid in sorted(unknown):
        state, begun = _stat(pid)
        if begun is None:
            continue
        parents = [w for w in exited if w.boot_started - _TOLERANCE <= begun <= now]
        if not parents:
            continue
        if state == "Z":  # it has ended already: reap it, nothing is left running
            poll(pid)
            continue
        parent = max(parents, key=lambda w: w.boot_started)  # the latest child before it
        work = OrphanWork(invocation, pid, parent, _command(pid))
        with _lock:
            _adopted.add(pid)
        invocation.track(work)
        found.append(work)
    return found


def poll(pid: int) -> bool:
    """True while the adopted process ``pid`` runs (reaps it once it has exited)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not ours any more
        return False
    return done == 0


def kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, os.WNOHANG)


# --- Linux ------------------------------------------------------------------------------------


def _prctl_subreaper(value: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, value, 0, 0, 0) == 0)
    except Exception:  # no prctl here: orphans are not tracked
        return False


def clock() -> float:
    """Seconds since boot: the clock process start times (``/proc/PID/stat``) are on."""
    boot = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boot) if boot is not None else time.monotonic()


def _children() -> set[int]:
    """This process's children (of all its threads)."""
    found: set[int] = set()
    try:
        threads = os.listdir("/proc/self/task")
    except OSError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/self/task/{thread}/children") as file:
                found.update(int(pid) for pid in file.read().split())
        except (OSError, ValueError):
            continue
    return found


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[str, float | None]:
    """(state, seconds after boot at which it started) of ``pid``; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            stat = file.read()
    except OSError:
        return "", None
    fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
    try:
        return fields[0], int(fields[19]) / _TICKS  # field 22 of stat: starttime, in clock ticks
    except (IndexError, ValueError):
        return "", None


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            parts = file.read().split(b"\0")
    except OSError:
        return f"pid {pid}"
    text = " ".join(p.decode(errors="replace") for p in parts if p)
    return text if len(text) <= 100 else text[:97] + "..."

