"""Declaring functions: ``@lastword.http`` and friends.

A declaration is stored on the function object itself (``__lastword__``), never in a module-level
registry: loading a module twice, or two modules at once, cannot mix their functions up.
Functions declared with functions-framework's decorators are recognised by the loader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, overload

from ._config import BACKGROUND_POLICIES, BackgroundPolicy
from ._signatures import SignatureType

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "__lastword__"


@dataclasses.dataclass(frozen=True)
class Declaration:
    """What the source code says about a function."""

    signature_type: SignatureType
    background: BackgroundPolicy | None = None
    """Per-function background policy; overrides ``--background``."""
    origin: str = "lastword"


def declaration_of(function: Any) -> Declaration | None:
    found = getattr(function, ATTRIBUTE, None)
    return found if isinstance(found, Declaration) else None


def _declare(signature_type: SignatureType, background: BackgroundPolicy | None) -> Callable[[F], F]:
    if background is not None and background not in BACKGROUND_POLICIES:
        raise ValueError(
            f"background must be one of {', '.join(BACKGROUND_POLICIES)}; got {background!r}"
        )

    def mark(function: F) -> F:
        setattr(function, ATTRIBUTE, Declaration(signature_type, background))
        return function

    return mark


@overload
def http(function: F, /) -> F: ...
@overload
def http(*, background: BackgroundPolicy | None = None) -> Callable[[F], F]: ...
def http(function: Any = None, /, *, background: BackgroundPolicy | None = None) -> Any:
    """Declare an HTTP function: ``@lastword.http`` or ``@lastword.http(background="wait")``."""
    mark = _declare("http", background)
    return mark if function is None else mark(function)


@overload
def cloud_event(function: F, /) -> F: ...
@overload
def cloud_event(*, background: BackgroundPolicy | None = None) -> Callable[[F], F]: ...
def cloud_event(function: Any = None, /, *, background: BackgroundPolicy | None = None) -> Any:
    """Declare a CloudEvent function (served by a later release; declared now for checkers)."""
    mark = _declare("cloudevent", background)
    return mark if function is None else mark(function)
