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

if TYPE_CHECKING:
    from ._app import App
    from ._invocation import Invocation, Work
    from ._lifecycle import wait_until

# Imported when first used: `import lastword` in a function's module (for its decorators) must
# not pull in asyncio and the runtime, which the server imports anyway when it needs them.
_LAZY = {"Invocation": "._invocation", "Work": "._invocation", "wait_until": "._lifecycle"}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lastword' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
__version__ = "0.1.0"
