"""The frame another thread is running, read without risking a deadlock.

``sys._current_frames()`` holds the interpreter's list of threads locked while it makes a frame
object for each thread. Before Python 3.12, a garbage collection started by one of those allocations
runs Python code (``gc.callbacks``, finalizers), which may hand the GIL to a thread that is starting
or ending and waits, holding the GIL, for that same lock: the whole process hangs
(CPython gh-106883). Lastword reads other threads' frames while functions start threads all the time,
so there automatic collection is paused for the length of the call.
"""

from __future__ import annotations

import gc
import sys
import threading
from types import FrameType

_GUARDED = sys.version_info < (3, 12)
_lock = threading.Lock()
"""One reader at a time: two could otherwise each see the other's pause and re-enable too early."""


def current_frames() -> dict[int, FrameType]:
    """``sys._current_frames()``, with no collection while it runs where that can deadlock."""
    if not _GUARDED:
        return sys._current_frames()
    with _lock:
        enabled = gc.isenabled()
        if enabled:
            gc.disable()
        try:
            return sys._current_frames()
        finally:
            if enabled:
                gc.enable()


def frame_of(ident: int | None) -> FrameType | None:
    """The frame thread ``ident`` is running now (None when it has ended or is not known)."""
    if not ident:
        return None
    return current_frames().get(ident)
