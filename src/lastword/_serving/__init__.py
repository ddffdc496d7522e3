"""Serving a function: the port, the supervisor and its workers, the HTTP server of each worker.

``serve(config)`` is what ``lastword serve`` runs. See docs/serving.md for the design.
"""

from __future__ import annotations

from .._config import Config


def serve(config: Config) -> int:
    """Run the supervisor until it stops; its exit status."""
    from .. import _logging
    from .supervisor import Supervisor

    _logging.configure(config)
    return Supervisor(config).run()
