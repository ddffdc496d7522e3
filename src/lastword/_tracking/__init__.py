"""Attributing background work to the invocation that started it.

One concern per module:

- :mod:`._hooks`: the standard library's entry points for starting work, wrapped by
  :func:`install` and given back, exactly, by :func:`uninstall`;
- :mod:`._loop`: lastword's event loop subclass (tasks, loop callbacks, subprocesses), and the task
  factory for a loop another server made;
- :mod:`._work`: the kinds of work (task, executor job, loop callback, thread, child process,
  unawaited coroutine) and what each can say about itself;
- :mod:`._services`: the idle rule — a long-lived worker waiting for new input is
  infrastructure, not a leftover — and the registry of services, kept on the lifecycle;
- :mod:`._orphans`: processes a tracked child left running when it exited (a shell's ``cmd &``),
  adopted on Linux as this process's own children;
- :mod:`._describe`: how a report names a piece of work.

The boundary is the invocation context variable (:data:`lastword._invocation.current`): it is set
only while the user's code runs, so work started then is the invocation's, and work lastword starts
for itself is nobody's.
"""

from ._hooks import PATCHES, install, is_installed, start_untracked, uninstall
from ._loop import adopt_loop, close_loop, new_event_loop
from ._orphans import find as find_orphans

__all__ = [
    "PATCHES",
    "adopt_loop",
    "close_loop",
    "find_orphans",
    "install",
    "is_installed",
    "new_event_loop",
    "start_untracked",
    "uninstall",
]
