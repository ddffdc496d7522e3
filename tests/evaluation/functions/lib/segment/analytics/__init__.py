"""Stand-in for Segment's analytics-python (``import segment.analytics as analytics``).

As in the real library: the module-level ``track``/``identify`` create a default ``Client`` on
first use, whose constructor starts a ``Consumer`` thread; calls only put the message on the
client's queue; the consumer collects a batch for up to ``upload_interval`` seconds and then
uploads it (one simulated HTTP request of ``FAKE_SEGMENT_UPLOAD_SECONDS``, default 0.3 s).
``flush()`` blocks until the queue is empty (``queue.join()``); ``shutdown()`` flushes and stops
the consumer threads.
"""

from __future__ import annotations

from typing import Any

from segment.analytics.client import Client

write_key: str | None = None
host: str | None = None
on_error: Any = None
debug = False
send = True
sync_mode = False
upload_interval = 0.5
upload_size = 100

default_client: Client | None = None


def track(*args: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
    return _proxy("track", *args, **kwargs)


def identify(*args: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
    return _proxy("identify", *args, **kwargs)


def flush() -> None:
    _proxy("flush")


def join() -> None:
    _proxy("join")


def shutdown() -> None:
    _proxy("shutdown")


def _proxy(method: str, *args: Any, **kwargs: Any) -> Any:
    global default_client
    if default_client is None:
        default_client = Client(
            write_key,
            host=host,
            on_error=on_error,
            debug=debug,
            send=send,
            sync_mode=sync_mode,
            upload_interval=upload_interval,
            upload_size=upload_size,
        )
    return getattr(default_client, method)(*args, **kwargs)


__all__ = ["Client", "flush", "identify", "join", "shutdown", "track"]
