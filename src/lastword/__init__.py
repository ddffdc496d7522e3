"""lastword: a functions framework where the HTTP response is the last word.

Serve a function: ``lastword serve main.py --target hello``. Declare one::

    import lastword

    @lastword.http
    def hello(request):
        return "Hello, World!"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._config import Config
from ._declare import Declaration, cloud_event, errorhandler, event, http, typed
from ._invocation import Invocation, Work
from ._lifecycle import wait_until

if TYPE_CHECKING:
    from ._app import App

__all__ = [
    "Config",
    "Declaration",
    "Invocation",
    "Work",
    "cloud_event",
    "create_app",
    "errorhandler",
    "event",
    "http",
    "typed",
    "wait_until",
]


def create_app(
    target: str | None = None,
    source: str | None = None,
    signature_type: str | None = None,
    **options: Any,
) -> App:
    """An ASGI app that serves ``target`` from ``source`` with lastword's pipeline and tracking,
    for any ASGI server (``uvicorn module:app``) or test client — functions-framework's
    ``create_app``. Options are configuration fields (``background="error"``, ...)."""
    from ._app import create_app as create

    return create(target, source, signature_type, **options)
__version__ = "0.1.0"
