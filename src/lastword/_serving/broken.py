"""What a worker serves, under ``--reload``, while the function cannot be loaded.

Instead of exiting (and the server with it, as functions-framework's reloader does on a syntax
error), the worker answers every request with a 500 and logs why — the user's traceback — until
the next change to the source folder loads the function again.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .._asgi import PLAIN, Receive, Scope, Send, content_length
from .._config import HEALTH_PATH, Config
from .._instance import Instance

logger = logging.getLogger("lastword")

BODY = b"Internal Server Error: the function failed to load; the server's log says why."


class BrokenApp:
    def __init__(self, config: Config, error: str):
        self.config = config
        self.error = error
        self.instance = Instance(config.concurrency, config.concurrency)
        self.loaded = SimpleNamespace(
            name=config.target or "(not loaded)",
            signature_type=config.signature_type,
            is_async=False,
            source=Path(config.source),
        )
        self.lifecycle = SimpleNamespace(freezes=None)
        self.logged = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        status, body = 500, BODY
        if scope["path"] == HEALTH_PATH:
            status, body = 503, b"the function failed to load"
        elif time.monotonic() - self.logged > 2.0:  # the reason, again, where the request is seen
            self.logged = time.monotonic()
            logger.error(f"not served: the function failed to load. {self.error}")
        await send(
            {"type": "http.response.start", "status": status, "headers": [PLAIN, content_length(body)]}
        )
        await send({"type": "http.response.body", "body": body})

    async def startup(self) -> None:
        return None

    async def shutdown(self, grace: float | None = None) -> None:
        self.instance.stop()

    async def cut_short(self, invocation: Any) -> None:
        return None

    def on_interrupt_signal(self, signum: int, frame: Any) -> None:
        return None
