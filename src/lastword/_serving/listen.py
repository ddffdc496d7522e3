"""The port: bound once, by the supervisor (or lastword.testing), before anything else."""

from __future__ import annotations

import socket

from .._errors import StartupError


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, not yet listening (it listens once the function is
    loaded); a :class:`StartupError` that says what to do if the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"cannot listen on {host}:{port}: {exc.strerror}. "
            "Is another server using that port? Pick another with --port (or PORT)."
        ) from None
    return sock
