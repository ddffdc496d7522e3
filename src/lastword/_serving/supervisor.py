"""The supervisor: the process you run (PID 1 in a container), and what the platform does around
an instance.

It binds the port, forks the workers (from itself: it has imported the server but never the
user's code), listens once the function is loaded, accepts every connection and hands it to a
worker while keeping a copy of it. It knows each worker's invocations from their shared table
(see ``channel``), so that it can:

- **freeze** a worker that has nothing in flight (``--cpu request``: ``SIGSTOP`` to its process
  group, as the platform takes the CPU away) and thaw it when a request reaches it;
- answer for a worker that **died** (each request it was serving gets a 503 and a log line naming
  its invocation) and replace it, or that went over **memory** (500) or stopped answering at a
  **deadline** (504);
- **drain** on SIGTERM (refuse new connections, let workers finish within ``--grace``) and exit 0,
  reaping every child as PID 1 must.

It is single-threaded and does no work of its own for a request once a connection is handed off.
Signal handlers only note the signal; the loop acts on it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import select
import signal
import socket
import sys
import time
from typing import Any

from .._config import Config
from .._errors import STARTUP_FAILURE
from . import channel as messages
from . import platform
from .channel import ANSWERED, RUNNING, STARTED, Table
from .wire import Limits, plain_response, shutdown_fd

logger = logging.getLogger("lastword")

STARTING, READY, RETIRING = "starting", "ready", "retiring"
TICK = 0.25
"""Seconds between the supervisor's checks (deadlines it must answer, memory, retiring workers)."""
BACKSTOP = 1.5
"""Seconds past a deadline after which the supervisor answers for a worker that did not."""
_MiB = 1024 * 1024


class WorkerHandle:
    def __init__(self, index: int, pid: int, sock: socket.socket, table: Table, generation: int = 0):
        self.index = index
        self.generation = generation
        """Workers of an older generation serve code that has since changed (--reload)."""
        self.pid = pid
        self.sock = sock
        self.table = table
        self.state = STARTING
        self.started = time.monotonic()
        self.frozen = False
        self.connections: dict[int, socket.socket] = {}
        self.watch = select.epoll()
        """Its connections, watched for new bytes while it is frozen (nested in the main epoll)."""
        self.retire_by = 0.0
        self.frozen_at = 0.0
        self.kill_reason: str | None = None
        self.info: dict[str, Any] = {}
        self.overdue: set[tuple[int, str, float]] = set()
        """Invocations the last tick found past their deadline and unanswered (slot, id, deadline)."""


class Supervisor:
    def __init__(self, config: Config):
        self.config = config
        self.workers: dict[int, WorkerHandle] = {}
        self.listener: socket.socket | None = None
        self.epoll: select.epoll | None = None
        self.handlers: dict[int, Any] = {}
        self.next_conn = 1
        self.draining = False
        self.drain_by = 0.0
        self.status = 0
        self.signals: list[int] = []
        self.interrupts = 0
        self.announced = False
        self.waiting: list[socket.socket] = []
        """Connections accepted while no worker was ready (a worker being replaced)."""
        self.retry_accept = 0.0
        self.fd_warned = 0.0
        self.keep_alive = Limits.from_environment(os.environ.get("LASTWORD_LIMITS")).keep_alive
        self.share = config.workers
        self.generation = 0
        self.watcher: tuple[int, int] | None = None
        """(pid, pipe) of the process that watches the source folder (--reload)."""
        self.slots = 2 * max(1, config.concurrency // config.workers) + 8

    # --- start --------------------------------------------------------------------------------

    def run(self) -> int:
        from .listen import bind

        platform.raise_fd_limit()
        platform.adopt_orphans()
        if self.config.effective_reload:
            self.watcher = _start_watcher(self.config)
        self.listener = bind(self.config.host, self.config.port)
        self.epoll = select.epoll()
        self._signals()
        if self.watcher is not None:
            pipe = self.watcher[1]
            self._register(pipe, select.EPOLLIN, lambda events: self._changed(pipe))
            _preimport()  # a reload forks a worker at every change: start it from this image
        for index in range(self.config.workers):
            self.spawn(index)
        try:
            while not (self.draining and not self.workers) and self.status != STARTUP_FAILURE:
                self._once()
        finally:
            self._end_everything()
        return self.status

    def _signals(self) -> None:
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)
        signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(signum, self._noted)
        self._register(read, select.EPOLLIN, lambda events: _drain_pipe(read))
        self._wakeup = (read, write)

    def _noted(self, signum: int, frame: Any) -> None:
        self.signals.append(signum)

    def spawn(self, index: int) -> WorkerHandle:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        table = Table.create(self.slots)
        pid = os.fork()
        if pid == 0:  # the worker
            parent.close()
            self._become_worker(child, table)
        child.close()
        parent.setblocking(False)
        worker = WorkerHandle(index, pid, parent, table, self.generation)
        self.workers[pid] = worker
        self._register(parent.fileno(), select.EPOLLIN, lambda events: self._on_message(worker))
        return worker

    def _become_worker(self, sock: socket.socket, table: Table) -> None:
        os.setpgid(0, 0)  # its own group: frozen together with the processes it starts
        platform.die_with_parent()
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        # what the supervisor holds is not the worker's: the port, the other workers, connections
        os.close(self._wakeup[0])
        os.close(self._wakeup[1])
        if self.watcher is not None:
            os.close(self.watcher[1])
        if self.epoll is not None:
            self.epoll.close()
        if self.listener is not None:
            self.listener.close()
        for other in self.workers.values():
            other.sock.close()
            other.watch.close()
            other.table.close()
            for connection in other.connections.values():
                connection.close()
        for connection in self.waiting:
            connection.close()
        from .worker import main

        main(self.config, sock, table, self.share)

    # --- the loop -----------------------------------------------------------------------------

    def _register(self, fd: int, events: int, handler: Any) -> None:
        assert self.epoll is not None
        self.epoll.register(fd, events)
        self.handlers[fd] = handler

    def _unregister(self, fd: int) -> None:
        assert self.epoll is not None
        self.handlers.pop(fd, None)
        with contextlib.suppress(OSError, ValueError):
            self.epoll.unregister(fd)

    def _once(self) -> None:
        assert self.epoll is not None
        try:
            events = self.epoll.poll(TICK)
        except InterruptedError:
            events = []
        for fd, mask in events:
            handler = self.handlers.get(fd)
            if handler is not None:
                handler(mask)
        while self.signals:
            self._on_signal(self.signals.pop(0))
        self._tick()

    def _on_signal(self, signum: int) -> None:
        if signum == signal.SIGCHLD:
            self._reap()
        elif signum == signal.SIGTERM:
            self.begin_drain("SIGTERM")
        elif signum == signal.SIGINT:
            self.interrupts += 1
            if self.interrupts > 1:
                print("lastword: interrupted again: stopping now", file=sys.stderr, flush=True)
                self._kill_all()
                self.status = 130
                self.workers.clear()
                self.draining = True
            else:
                print(
                    "lastword: stopping (in-flight requests finish; Ctrl-C again to stop now)",
                    file=sys.stderr,
                    flush=True,
                )
                self.begin_drain("SIGINT")

    def _tick(self) -> None:
        now = time.monotonic()
        for worker in list(self.workers.values()):
            if worker.state != STARTING:
                self._backstop(worker, now)
            if worker.frozen and worker.connections and now - worker.frozen_at > self.keep_alive:
                # A frozen worker cannot time its idle connections out: they have all been idle
                # since it froze, so close them here (it sees them end when it next runs).
                for conn_id in list(worker.connections):
                    shutdown_fd(worker.connections[conn_id].fileno())
                    self._closed(worker, conn_id)
            if worker.state == RETIRING and worker.retire_by and now > worker.retire_by:
                self._kill(worker, "it did not finish draining in time")
        if self.config.memory is not None:
            self._check_memory()
        if self.retry_accept and now > self.retry_accept and self.listener is not None:
            self.retry_accept = 0.0
            self._register(self.listener.fileno(), select.EPOLLIN, lambda events: self._accept())
        if self.draining and self.drain_by and now > self.drain_by:
            for worker in list(self.workers.values()):
                self._kill(worker, f"the grace period ({self.config.grace:g} s) ran out")
            self.drain_by = 0.0

    # --- connections --------------------------------------------------------------------------

    def _listen(self) -> None:
        listener = self.listener
        assert listener is not None
        listener.listen(4096)
        listener.setblocking(False)
        self._register(listener.fileno(), select.EPOLLIN, lambda events: self._accept())

    def _accept(self) -> None:
        listener = self.listener
        if listener is None:
            return
        for _ in range(256):
            try:
                connection, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self._out_of_descriptors()
                return
            self._dispatch(connection)

    def _out_of_descriptors(self) -> None:
        """No descriptor left to accept with: stop trying for a moment (rather than spin on a
        listening socket that stays readable), and say so once a second at most."""
        now = time.monotonic()
        if now - self.fd_warned > 1.0:
            self.fd_warned = now
            logger.error(
                "out of file descriptors (%d connections open): new connections wait "
                "until others close. Raise the limit (ulimit -n) or add instances.",
                sum(len(w.connections) for w in self.workers.values()),
            )
        listener = self.listener
        if listener is not None and not self.retry_accept:
            self._unregister(listener.fileno())
            self.retry_accept = now + 0.05

    def _pick(self) -> WorkerHandle | None:
        best: WorkerHandle | None = None
        for worker in self.workers.values():
            if worker.state != READY:
                continue
            rank = (-worker.generation, worker.frozen, len(worker.connections))
            if best is None or rank < (-best.generation, best.frozen, len(best.connections)):
                best = worker
        return best

    def _dispatch(self, connection: socket.socket) -> None:
        worker = self._pick()
        if worker is None:
            if len(self.waiting) < 4096 and not self.draining:
                self.waiting.append(connection)
            else:
                _answer(connection, 503, "Service Unavailable: the instance is not serving.")
            return
        if worker.frozen:
            self.thaw(worker)
        conn_id = self.next_conn
        self.next_conn += 1
        try:
            messages.handoff(worker.sock, conn_id, connection)
        except OSError:
            _answer(connection, 503, "Service Unavailable: no worker could take the connection.")
            return
        fd = connection.fileno()
        worker.connections[conn_id] = connection
        worker.watch.register(fd, select.EPOLLIN)
        self._register(fd, select.EPOLLRDHUP, lambda events: self._closed(worker, conn_id))

    def _closed(self, worker: WorkerHandle, conn_id: int) -> None:
        connection = worker.connections.pop(conn_id, None)
        if connection is None:
            return
        fd = connection.fileno()
        self._unregister(fd)
        with contextlib.suppress(OSError, ValueError):
            worker.watch.unregister(fd)
        connection.close()

    # --- messages from workers ----------------------------------------------------------------

    def _on_message(self, worker: WorkerHandle) -> None:
        while True:
            try:
                data = worker.sock.recv(8192)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:
                self._unregister(worker.sock.fileno())  # it is gone; SIGCHLD tells the rest
                return
            kind = data[:1]
            if kind == messages.READY:
                self._ready(worker, json.loads(data[1:]))
            elif kind == messages.IDLE:
                self.freeze(worker, messages.idle_count_of(data))
            elif kind == messages.RECYCLE:
                self.retire(worker, data[1:].decode("utf-8", "replace"))

    def _ready(self, worker: WorkerHandle, info: dict[str, Any]) -> None:
        worker.state = READY
        worker.info = info
        if not self.announced:
            self.announced = True
            self._listen()
            print(self._startup_line(info), file=sys.stderr, flush=True)
        elif worker.generation == self.generation and self.watcher is not None:
            loaded = "reloaded" if info.get("loaded", True) else "could not load the function"
            print(f"lastword: {loaded} (worker {worker.pid})", file=sys.stderr, flush=True)
        if worker.generation == self.generation:
            for old in list(self.workers.values()):
                if old.generation < self.generation and old.state != RETIRING:
                    self.retire(old, "the source changed", replace=False)
        waiting, self.waiting = self.waiting, []
        for connection in waiting:
            self._dispatch(connection)

    def _startup_line(self, info: dict[str, Any]) -> str:
        assert self.listener is not None
        host, port = self.listener.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        config = self.config
        workers = f"{config.workers} worker{'s' if config.workers > 1 else ''}"
        return (
            f"lastword: serving {info['target']} ({info['signature_type']}) from {info['source']} "
            f"at http://{shown}:{port} — {workers}, {config.threads} threads, concurrency "
            f"{config.concurrency}, background policy {info['background']}, cpu {config.cpu}"
        )

    def _changed(self, pipe: int) -> None:
        """The watcher saw the source folder change: start workers on the new code; the old
        ones serve until the new are ready, then drain."""
        try:
            data = os.read(pipe, 65536)
        except (BlockingIOError, InterruptedError):
            return
        if not data:
            self._unregister(pipe)
            return
        if self.draining:
            return
        changed = sorted({line for line in data.decode(errors="replace").splitlines() if line})
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        print(f"lastword: {shown} changed: reloading", file=sys.stderr, flush=True)
        self.generation += 1
        for index in range(self.config.workers):
            self.spawn(index)

    # --- freezing -----------------------------------------------------------------------------

    def freeze(self, worker: WorkerHandle, activity: int) -> None:
        """Take the CPU away from an idle worker (and what it started), as the platform does."""
        if self.config.cpu != "request" or self.draining or worker.state != READY or worker.frozen:
            return
        try:
            os.killpg(worker.pid, signal.SIGSTOP)
            _, status = os.waitpid(worker.pid, os.WUNTRACED)
        except (ProcessLookupError, ChildProcessError):
            return
        if not os.WIFSTOPPED(status):  # it ended on its way to being stopped
            self._worker_exited(worker, status)
            return
        if worker.table.activity() != activity:
            os.killpg(worker.pid, signal.SIGCONT)  # a request reached it meanwhile
            return
        worker.frozen = True
        worker.frozen_at = time.monotonic()
        worker.table.note_freeze()
        self._register(worker.watch.fileno(), select.EPOLLIN, lambda events: self.thaw(worker))

    def thaw(self, worker: WorkerHandle) -> None:
        if not worker.frozen:
            return
        worker.frozen = False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGCONT)
        worker.table.note_thaw()
        self._unregister(worker.watch.fileno())

    # --- workers ending -----------------------------------------------------------------------

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            worker = self.workers.get(pid)
            if worker is not None:
                self._worker_exited(worker, status)
            # any other child is an orphan we adopted as PID 1 would: reaped, nothing more

    def _worker_exited(self, worker: WorkerHandle, status: int) -> None:
        self.workers.pop(worker.pid, None)
        code = os.waitstatus_to_exitcode(status)
        if worker.frozen:
            worker.frozen = False
            self._unregister(worker.watch.fileno())
        how = _ending(code)
        expected = worker.state == RETIRING or self.draining
        reason = worker.kill_reason
        answered = 500 if reason and reason.startswith("memory") else 503
        for slot, state, conn_id, _, _, ident in worker.table.in_flight():
            connection = worker.connections.get(conn_id)
            if state == RUNNING and connection is not None:
                body = (
                    "Internal Server Error: the instance went over its memory limit."
                    if answered == 500
                    else "Service Unavailable: the worker serving this request ended."
                )
                _answer(connection, answered, body, close=False)
            if state in (RUNNING, STARTED):
                told = f"responded {answered}" if state == RUNNING else "its response was cut off"
                logger.error(
                    f"invocation {ident} failed: worker {worker.pid} {how} "
                    f"({reason or 'unexpectedly'}) while serving it; {told}."
                )
            worker.table.set_state(slot, 0)
        for conn_id in list(worker.connections):
            connection = worker.connections[conn_id]
            shutdown_fd(connection.fileno())
            self._closed(worker, conn_id)
        self._unregister(worker.sock.fileno())
        worker.sock.close()
        worker.watch.close()
        worker.table.close()
        if worker.state == STARTING and code == STARTUP_FAILURE and not self.config.effective_reload:
            # it can never start: stop here rather than respawn in a loop
            self.status = STARTUP_FAILURE
            self._kill_all()
            self.workers.clear()
            return
        if expected:
            return
        logger.error(
            f"worker {worker.pid} {how} ({reason or 'unexpectedly'}); starting another."
        )
        self.spawn(worker.index)

    def retire(self, worker: WorkerHandle, reason: str, replace: bool = True) -> None:
        """Replace ``worker``: a new one takes the new connections; this one drains and ends once
        its other invocations are over or past their deadlines."""
        if worker.state == RETIRING:
            return
        if replace:
            logger.warning(f"replacing worker {worker.pid}: {reason}.")
        worker.state = RETIRING
        if replace and not self.draining:
            self.spawn(worker.index)
        remaining = [d for _, s, _, _, d, _ in worker.table.in_flight() if s != ANSWERED]
        grace = max([d - time.monotonic() for d in remaining] + [0.0]) + BACKSTOP
        worker.retire_by = time.monotonic() + grace + 2.0
        if worker.frozen:
            self.thaw(worker)
        self._send(worker, messages.DRAIN + str(grace).encode())

    def _backstop(self, worker: WorkerHandle, now: float) -> None:
        """Answer 504 for invocations a worker did not answer at their deadline (it is stuck in
        code that holds the interpreter), and replace that worker."""
        stuck = False
        overdue = set()
        for slot, state, conn_id, _, deadline, ident in worker.table.in_flight():
            if state != RUNNING or now < deadline + BACKSTOP:
                continue
            # The table is read while the worker writes it: act on an invocation only when two
            # reads a tick apart agree that it is overdue (a stuck one stays so).
            overdue.add((slot, ident, deadline))
            if (slot, ident, deadline) not in worker.overdue:
                continue
            stuck = True
            worker.table.set_state(slot, ANSWERED)
            connection = worker.connections.get(conn_id)
            if connection is not None:
                from .._reports import TIMEOUT_BODY

                _answer(connection, 504, TIMEOUT_BODY, close=False)
                shutdown_fd(connection.fileno())
            logger.error(
                f"invocation {ident} passed its deadline ({self.config.timeout:g} s) and "
                f"worker {worker.pid} did not answer it: it is stuck in code that holds the "
                "interpreter (a long C call). The supervisor responded 504."
            )
        worker.overdue = overdue
        if stuck and worker.state == READY:
            self.retire(worker, "it is stuck past a deadline")

    def _check_memory(self) -> None:
        limit = self.config.memory_bytes
        if not limit:
            return
        sizes = {pid: platform.tree_rss(pid) or 0 for pid in self.workers}
        total = sum(sizes.values())
        if total <= limit or not sizes:
            return
        pid = max(sizes, key=lambda p: sizes[p])
        worker = self.workers[pid]
        if worker.kill_reason is not None:
            return
        self._kill(
            worker,
            f"memory limit exceeded: the instance used {total / _MiB:.0f} MiB, over --memory "
            f"{self.config.memory}; this worker held {sizes[pid] / _MiB:.0f} MiB",
        )

    def _kill(self, worker: WorkerHandle, reason: str) -> None:
        if worker.kill_reason is None:
            worker.kill_reason = reason
            if reason.startswith("memory"):
                logger.error(f"worker {worker.pid}: {reason}; ending it.")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)

    def _kill_all(self) -> None:
        for worker in self.workers.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)

    # --- stopping -----------------------------------------------------------------------------

    def begin_drain(self, why: str) -> None:
        if self.draining:
            return
        self.draining = True
        self._accept()  # what the kernel already accepted is served too
        if self.listener is not None:
            self._unregister(self.listener.fileno())
            self.listener.close()  # new connections are refused from now on
            self.listener = None
        for connection in self.waiting:
            _answer(connection, 503, "Service Unavailable: the instance is shutting down.")
        self.waiting = []
        self.drain_by = time.monotonic() + self.config.grace + 2.0
        for worker in list(self.workers.values()):
            self.thaw(worker)
            self._send(worker, messages.DRAIN + str(self.config.grace).encode())

    def _send(self, worker: WorkerHandle, message: bytes) -> None:
        with contextlib.suppress(OSError):
            worker.sock.send(message)

    def _end_everything(self) -> None:
        """Nothing may outlive the supervisor: workers, and anything left in their groups."""
        self._kill_all()
        deadline = time.monotonic() + 2.0
        while self.workers and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.01)
        for pid in _children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._reap()


def _answer(connection: socket.socket, status: int, text: str, close: bool = True) -> None:
    try:
        connection.setblocking(False)
        connection.send(plain_response(status, text))
    except OSError:
        pass
    if close:
        shutdown_fd(connection.fileno())
        connection.close()


def _ending(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}"
    return f"exited with status {code}"


def _drain_pipe(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except (BlockingIOError, InterruptedError):
        pass


def _children() -> list[int]:
    found: list[int] = []
    pid = os.getpid()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:
        pass
    return found


RELOAD_EXTENSIONS = (".html", ".jinja", ".jinja2", ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini")
"""Besides Python files, what a change to reloads on (templates, configuration): not logs, not
data files a function writes beside itself."""


def _start_watcher(config: Config) -> tuple[int, int]:
    """A process that watches the source folder and writes the changed paths to a pipe.

    A process, not a thread: the supervisor forks its workers, and a thread of the file watcher
    must not be running in it then. Forked first, it holds nothing of the supervisor's.
    """
    from pathlib import Path

    source = Path(config.source).resolve()
    folder = source if source.is_dir() else source.parent
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        platform.die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            import watchfiles

            logging.getLogger("watchfiles").setLevel(logging.WARNING)
            watched = watchfiles.PythonFilter(extra_extensions=RELOAD_EXTENSIONS)
            for changes in watchfiles.watch(
                folder, watch_filter=watched, debounce=100, step=20, raise_interrupt=False
            ):
                paths = sorted({os.path.relpath(path, folder) for _, path in changes})
                os.write(write, ("\n".join(paths) + "\n").encode())
        finally:
            os._exit(0)
    os.close(write)
    os.set_blocking(read, False)
    return pid, read


def _preimport() -> None:
    """What every worker needs, imported here so that a forked worker starts with it.

    Only under --reload: otherwise a worker imports it itself (the same time on the cold start's
    path), and the supervisor stays small — it would hold a second resident copy of the event
    loop and the server (docs/serving.md has the measurements)."""
    from .. import _app, _tracking  # noqa: F401 - the app's modules
    from . import server, worker  # noqa: F401 - the worker's own, and the HTTP server's

    with contextlib.suppress(ImportError):  # uvloop is a dependency where it builds
        import uvloop  # noqa: F401
