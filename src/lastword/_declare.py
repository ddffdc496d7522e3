"""Declaring functions: ``@lastword.http`` and friends, and ``@lastword.errorhandler``.

A declaration is stored on the function object itself (``__lastword__``), never in a module-level
registry: loading a module twice, or two modules at once, cannot mix their functions up. An error
handler is marked the same way (``__lastword_errorhandler__``) and found by the loader among the
module's functions. Functions declared with functions-framework's decorators are recognised by the
loader.
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
    input_type: Any = None
    """What a typed function receives, when the decorator names it (``@lastword.typed(Order)``)."""


def declaration_of(function: Any) -> Declaration | None:
    found = getattr(function, ATTRIBUTE, None)
    return found if isinstance(found, Declaration) else None


def _declare(
    signature_type: SignatureType, background: BackgroundPolicy | None, input_type: Any = None
) -> Callable[[F], F]:
    if background is not None and background not in BACKGROUND_POLICIES:
        raise ValueError(
            f"background must be one of {', '.join(BACKGROUND_POLICIES)}; got {background!r}"
        )

    def mark(function: F) -> F:
        setattr(function, ATTRIBUTE, Declaration(signature_type, background, input_type=input_type))
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
    """Declare a CloudEvent function, ``def f(cloud_event)``: it receives the ``cloudevents``
    SDK's CloudEvent; returning acknowledges the event (200)."""
    mark = _declare("cloudevent", background)
    return mark if function is None else mark(function)


@overload
def event(function: F, /) -> F: ...
@overload
def event(*, background: BackgroundPolicy | None = None) -> Callable[[F], F]: ...
def event(function: Any = None, /, *, background: BackgroundPolicy | None = None) -> Any:
    """Declare a legacy event (background) function, ``def f(data, context)``."""
    mark = _declare("event", background)
    return mark if function is None else mark(function)


@overload
def typed(function: F, /) -> F: ...
@overload
def typed(
    input_type: type[Any] | None = None, /, *, background: BackgroundPolicy | None = None
) -> Callable[[F], F]: ...
def typed(function: Any = None, /, *, background: BackgroundPolicy | None = None) -> Any:
    """Declare a typed function, ``def f(payload: Order) -> Receipt``: the JSON body becomes the
    input type (from its annotation, or named here: ``@lastword.typed(Order)``) and the return
    value is sent as JSON. The input type is a dataclass, a pydantic model, or a class with
    ``from_dict`` (as functions-framework's ``@typed``)."""
    if function is None or isinstance(function, type):  # @typed() or @typed(Order)
        return _declare("typed", background, input_type=function)
    return _declare("typed", background)(function)


def errorhandler(*exceptions: type[BaseException] | int) -> Callable[[F], F]:
    """Answer the exceptions a function raises with ``handler(error)``'s return value, for every
    signature type, sync or async: ``@lastword.errorhandler(KeyError)``. The handler returns a
    response as an HTTP function does (``("not found", 404)``, a dict, a Response...). A status
    code stands for werkzeug's exception of that code (``abort(404)``); 500 for any exception."""
    if not exceptions:
        raise TypeError("lastword.errorhandler() takes one or more exception classes")
    kinds = tuple(exception_class(e) for e in exceptions)

    def mark(function: F) -> F:
        setattr(function, HANDLER_ATTRIBUTE, getattr(function, HANDLER_ATTRIBUTE, ()) + kinds)
        return function

    return mark


HANDLER_ATTRIBUTE = "__lastword_errorhandler__"


def handled_exceptions(function: Any) -> tuple[type[BaseException], ...]:
    """The exception classes ``function`` was marked to handle by ``@lastword.errorhandler``."""
    found = getattr(function, HANDLER_ATTRIBUTE, ())
    return found if isinstance(found, tuple) else ()


def exception_class(kind: Any) -> type[BaseException]:
    """An exception class, or a status code as Flask takes it (werkzeug's class of that code;
    500 means any exception)."""
    if isinstance(kind, type) and issubclass(kind, BaseException):
        return kind
    if isinstance(kind, int) and not isinstance(kind, bool):
        if kind == 500:
            return Exception
        from werkzeug.exceptions import default_exceptions

        found = default_exceptions.get(kind)
        if found is not None:
            return found
    raise TypeError(
        f"an error handler is registered for an exception class (or an HTTP error status code); "
        f"got {kind!r}"
    )
