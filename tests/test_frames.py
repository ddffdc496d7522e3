"""Reading other threads' frames while threads start and end must never hang the process.

On Python 3.11, ``sys._current_frames()`` deadlocks when a garbage collection it triggers runs
Python code that hands the GIL to a thread starting or ending (CPython gh-106883): the in-process
concurrency tests hung that way in CI. Lastword reads frames through ``lastword._frames``; this runs
the conditions that make the bare call hang within a second (tiny GC thresholds, a Python GC
callback, a GIL switch interval of a microsecond, threads churning) in a child process, bounded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import gc, sys, threading, time
    from lastword._frames import current_frames, frame_of

    gc.callbacks.append(lambda phase, info: [i for i in range(3)])
    gc.set_threshold(1, 1, 1)
    sys.setswitchinterval(1e-6)
    stop = time.monotonic() + 1.5
    reads = [0, 0]

    def churn():
        while time.monotonic() < stop:
            started = [threading.Thread(target=lambda: None) for _ in range(20)]
            for thread in started:
                thread.start()
            for thread in started:
                thread.join()

    def read(i, ident):
        while time.monotonic() < stop:
            current_frames()
            assert frame_of(ident) is not None
            reads[i] += 1

    main = threading.get_ident()
    threads = [threading.Thread(target=churn) for _ in range(3)]
    threads += [threading.Thread(target=read, args=(i, main)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
    print("reads", min(reads))
    """
)


def test_frames_are_read_without_deadlock_while_threads_churn() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 100  # both readers went on reading all along
