"""Request objects made when first used.

Importing Flask (with werkzeug and jinja2) or Starlette is most of a Python function's cold start,
and a function that never looks at its request does not need it. When the function's module does
not use the framework itself (it does not import it, nor mention it), lastword hands the function
a stand-in that builds the real request — a ``flask.Request``, a ``starlette.requests.Request`` —
the first time one of its attributes is read, and passes every access on to it. A function that
reads its request gets the same object it would have had, a moment later; one that does not
(``return "Hello, World!"``) is served without the framework ever being imported.

The stand-in is not an instance of the framework's class (``isinstance`` is false): a module that
checks is a module that imports the framework, and gets the real request from the start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_MENTIONS = {
    "flask": re.compile(rb"\b(flask|werkzeug|functions_framework)\b"),
    "starlette": re.compile(rb"\b(starlette|fastapi|functions_framework)\b"),
}


def module_uses(framework: str, source: Path, imported: bool) -> bool:
    """Whether the function's module uses ``framework`` (imported it, or names it)."""
    if imported:
        return True
    try:
        text = source.read_bytes()
    except OSError:
        return True
    return _MENTIONS[framework].search(text) is not None


class LazyRequest:
    """Stands for the framework's request until something of it is read."""

    __slots__ = ("_make", "_real")

    def __init__(self, make: Callable[[], Any]):
        self._make = make
        self._real: Any = None

    def _request(self) -> Any:
        real = self._real
        if real is None:
            real = self._real = self._make()
        return real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._request()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._request())

    def __len__(self) -> int:
        return len(self._request())

    def __contains__(self, key: Any) -> bool:
        return key in self._request()

    def __repr__(self) -> str:
        return repr(self._request())
