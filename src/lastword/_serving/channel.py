"""What a worker and its supervisor tell each other.

Two parts, per worker, both made by the supervisor before it forks the worker:

- a **message socket** (a ``SOCK_SEQPACKET`` pair): the supervisor hands each accepted connection
  to the worker over it (the descriptor travels with the message), and tells it to drain; the
  worker says it is ready, idle (it may be frozen), or must be replaced;
- a **table in shared memory** that the worker writes on every invocation and the supervisor
  reads when it needs to (a worker died, a deadline passed unanswered): which invocations are in
  flight, on which connection, since when, until when, and whether their response has started.
  Writing it costs the worker a few hundred nanoseconds per request and no system call.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import socket
import struct
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._invocation import Invocation

# the header: activity (worker), freezes, frozen at, thawed at (supervisor)
_HEADER = struct.Struct("<Qqdd")
HEADER_SIZE = 64
# a slot: state, connection id, started, deadline, invocation id
_SLOT = struct.Struct("<B7xQdd32s")
SLOT_SIZE = _SLOT.size

FREE, RUNNING, STARTED, ANSWERED = 0, 1, 2, 3
"""Slot states: free; an invocation in flight; its response has started (a status went out);
its deadline was answered by the worker (504) although its function may still run."""

# messages
CONNECTION = b"C"  # supervisor -> worker: conn id, with the descriptor
DRAIN = b"D"  # supervisor -> worker: grace seconds
READY = b"R"  # worker -> supervisor: JSON of what it serves
IDLE = b"I"  # worker -> supervisor: its activity count when it went idle
RECYCLE = b"X"  # worker -> supervisor: why it must be replaced


def table_size(slots: int) -> int:
    size = HEADER_SIZE + slots * SLOT_SIZE
    return -(-size // mmap.PAGESIZE) * mmap.PAGESIZE


class Table:
    """The shared-memory table of one worker (both sides use this class)."""

    def __init__(self, memory: mmap.mmap, slots: int):
        self.memory = memory
        self.view = memoryview(memory)
        self.slots = slots

    @classmethod
    def create(cls, slots: int) -> Table:
        return cls(mmap.mmap(-1, table_size(slots)), slots)

    # --- the worker writes --------------------------------------------------------------------

    def set_activity(self, count: int) -> None:
        struct.pack_into("<Q", self.view, 0, count)

    def write(self, slot: int, conn_id: int, started: float, deadline: float, ident: str) -> None:
        """The fields first, the state last: the supervisor reads without a lock, and must never
        see a slot in use whose deadline and id are not written yet."""
        offset = HEADER_SIZE + slot * SLOT_SIZE
        _SLOT.pack_into(
            self.view, offset, FREE, conn_id, started, deadline,
            ident.encode("ascii", "replace")[:32],
        )
        self.view[offset] = RUNNING

    def set_state(self, slot: int, state: int) -> None:
        self.view[HEADER_SIZE + slot * SLOT_SIZE] = state

    # --- the supervisor reads -----------------------------------------------------------------

    def header(self) -> tuple[int, int, float, float]:
        return _HEADER.unpack_from(self.view, 0)  # type: ignore[return-value]

    def activity(self) -> int:
        return int(struct.unpack_from("<Q", self.view, 0)[0])

    def note_freeze(self) -> None:
        _, freezes, _, thawed = self.header()
        struct.pack_into("<qd", self.view, 8, freezes + 1, time.monotonic())

    def note_thaw(self) -> None:
        struct.pack_into("<d", self.view, 24, time.monotonic())

    def freezes(self) -> tuple[int, float, float]:
        """(times frozen, when last frozen, when last thawed) — the worker reads this."""
        _, freezes, frozen, thawed = self.header()
        return freezes, frozen, thawed

    def in_flight(self) -> Iterator[tuple[int, int, int, float, float, str]]:
        """(slot, state, conn id, started, deadline, invocation id) of every slot in use."""
        view = self.view
        for slot in range(self.slots):
            offset = HEADER_SIZE + slot * SLOT_SIZE
            if view[offset] == FREE:
                continue
            state, conn, started, deadline, ident = _SLOT.unpack_from(view, offset)
            yield slot, state, conn, started, deadline, ident.rstrip(b"\0").decode("ascii", "replace")

    def close(self) -> None:
        self.view.release()
        self.memory.close()


class WorkerChannel:
    """The worker's side: what the :class:`~lastword._instance.Instance` reports, and messages."""

    def __init__(self, sock: socket.socket, table: Table):
        self.sock = sock
        self.table = table
        self.view = table.view
        self.free = list(range(table.slots - 1, -1, -1))
        self.count = 0
        """The activity count: written to the table only after the worker said it was idle
        (:meth:`idle`), when a supervisor freezing it must learn that it was reached."""
        self.recycling = False

    # the Instance's channel (on every invocation: a few bytes written, no system call)
    def begin(self, invocation: Invocation) -> int:
        if not self.free:
            return -1  # more in flight than slots: not in the table (the gate prevents this)
        slot = self.free.pop()
        cycle = invocation.cycle
        self.table.write(
            slot, cycle.protocol.conn_id if cycle is not None else 0, invocation.started,
            invocation.deadline, invocation.id,
        )
        return slot

    def started(self, slot: int) -> None:
        self.view[HEADER_SIZE + slot * SLOT_SIZE] = STARTED

    def answered(self, slot: int) -> None:
        """Answered at its deadline; the slot stays taken until the invocation ends."""
        self.view[HEADER_SIZE + slot * SLOT_SIZE] = ANSWERED

    def end(self, slot: int) -> None:
        self.view[HEADER_SIZE + slot * SLOT_SIZE] = FREE
        self.free.append(slot)

    def activity(self) -> None:
        """Reached (a connection, bytes read) after saying it was idle."""
        self.count += 1
        self.table.set_activity(self.count)

    def recycle(self, reason: str) -> None:
        if not self.recycling:
            self.recycling = True
            self._send(RECYCLE + reason.encode("utf-8", "replace")[:4000])

    # messages
    def ready(self, what: dict[str, Any]) -> None:
        self._send(READY + json.dumps(what).encode())

    def idle(self) -> None:
        self.table.set_activity(self.count)
        self._send(IDLE + struct.pack("<Q", self.count))

    def _send(self, message: bytes) -> None:
        with contextlib.suppress(OSError):  # the supervisor is gone: so is this worker, soon
            self.sock.send(message)

    def receive(self) -> tuple[bytes, list[int]] | None:
        """One message from the supervisor (None: the supervisor is gone)."""
        data, fds, _, _ = socket.recv_fds(self.sock, 64, 1)
        if not data:
            return None
        return data, fds


def handoff(sock: socket.socket, conn_id: int, connection: socket.socket) -> None:
    socket.send_fds(sock, [CONNECTION + struct.pack("<Q", conn_id)], [connection.fileno()])


def conn_id_of(message: bytes) -> int:
    return int(struct.unpack_from("<Q", message, 1)[0])


def idle_count_of(message: bytes) -> int:
    return int(struct.unpack_from("<Q", message, 1)[0])
