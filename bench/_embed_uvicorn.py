"""Serve a bench/server_apps.py app with uvicorn *embedded* the way lastword embeds it.

    python bench/_embed_uvicorn.py APP PORT

* the listening socket is bound by us (the "supervisor" side) and handed to
  ``uvicorn.Server.serve(sockets=[sock])``;
* the event loop is one we create ourselves (uvloop), on which we could set a
  task factory / use a loop subclass for tracking background work;
* HTTP parser: httptools.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import uvicorn
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
import server_apps  # noqa: E402


def main() -> None:
    app_name, port = sys.argv[1], int(sys.argv[2])
    app = getattr(server_apps, app_name)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    sock.set_inheritable(True)
    config = uvicorn.Config(
        app,
        http="httptools",
        loop="none",
        lifespan="on",
        log_level="warning",
        access_log=False,
        backlog=2048,
    )
    server = uvicorn.Server(config)
    loop = uvloop.new_event_loop()  # ours: a subclass / task factory would go here
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(server.serve(sockets=[sock]))
    finally:
        loop.close()


if __name__ == "__main__":
    main()
