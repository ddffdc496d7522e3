"""Serve a bench/server_apps.py app with granian's *embedded* server (granian.server.embed).

    python bench/_embed_granian.py APP PORT [asgi|rsgi]

The embed API runs the granian worker as an asyncio task on the loop we pass
control to (here a uvloop loop we create). Granian binds the listening socket
itself: 2.8.7 has no way to accept an already-bound socket / fd.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import uvloop
from granian.constants import Interfaces
from granian.server.embed import Server

sys.path.insert(0, str(Path(__file__).resolve().parent))
import server_apps  # noqa: E402


def main() -> None:
    app_name, port = sys.argv[1], int(sys.argv[2])
    iface = Interfaces.RSGI if (sys.argv[3:] or ["asgi"])[0] == "rsgi" else Interfaces.ASGI
    app = getattr(server_apps, app_name)
    server = Server(app, address="127.0.0.1", port=port, interface=iface, log_enabled=False)
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(server.serve())
    finally:
        loop.close()


if __name__ == "__main__":
    main()
