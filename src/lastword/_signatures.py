"""The signature types of the Functions Framework contract: one table, shared by everyone.

The runtime (loader, declarations, adapters), the CLI and ``lastword check`` read what a signature
type is called, how many parameters its function takes, what it looks like, which decorators
declare it and which adapter module serves it from here, so they can never disagree.
"""

from __future__ import annotations

import dataclasses
from typing import Literal, get_args

SignatureType = Literal["http", "cloudevent", "event", "typed"]
SIGNATURE_TYPES: tuple[SignatureType, ...] = get_args(SignatureType)


@dataclasses.dataclass(frozen=True)
class Signature:
    name: SignatureType
    arity: int
    """Positional parameters the function is called with."""
    shape: str
    """What such a function looks like, for messages: ``def {name}(request)``."""
    params: frozenset[str]
    """Parameter names that mark an undecorated function as being of this type (for the checker);
    for two-parameter types, the names of the first parameter."""
    decorators: tuple[str, ...]
    """Dotted names of the decorators that declare a function of this type."""
    adapter: str
    """``module:class`` of the adapter that serves it (imported only when served)."""
    aliases: tuple[str, ...] = ()
    """Other spellings accepted for ``--signature-type`` / ``FUNCTION_SIGNATURE_TYPE``."""
    annotations: frozenset[str] = frozenset()
    """Class names whose annotation on the parameter marks an undecorated function as being of
    this type (for the checker): ``def f(r: Request)``."""


SIGNATURES: dict[SignatureType, Signature] = {
    s.name: s
    for s in (
        Signature(
            "http",
            1,
            "def {name}(request)",
            frozenset({"request", "req"}),
            ("lastword.http", "functions_framework.http", "functions_framework.aio.http"),
            "lastword._adapters.http:HttpAdapter",
            annotations=frozenset({"Request"}),
        ),
        Signature(
            "cloudevent",
            1,
            "def {name}(cloud_event)",
            frozenset({"cloud_event", "cloudevent", "event"}),
            (
                "lastword.cloud_event",
                "functions_framework.cloud_event",
                "functions_framework.aio.cloud_event",
            ),
            "lastword._adapters.cloudevent:CloudEventAdapter",
            aliases=("cloud_event",),
            annotations=frozenset({"CloudEvent"}),
        ),
        Signature(
            "event",
            2,
            "def {name}(data, context)",
            frozenset({"data", "event", "message", "pubsub_message"}),
            ("lastword.event",),
            "lastword._adapters.event:EventAdapter",
        ),
        Signature(
            "typed",
            1,
            "def {name}(payload)",
            frozenset(),
            ("lastword.typed", "functions_framework.typed"),
            "lastword._adapters.typed:TypedAdapter",
        ),
    )
}

EVENT_CONTEXT_PARAMS = frozenset({"context", "ctx"})
"""Names of the second parameter of a legacy event function (``def f(data, context)``)."""

DECORATORS: dict[str, SignatureType] = {
    decorator: s.name for s in SIGNATURES.values() for decorator in s.decorators
}
"""Dotted decorator name -> the signature type it declares."""


def signature_type_named(text: str) -> SignatureType | None:
    """The signature type spelled ``text`` (any case, aliases included), or None."""
    wanted = text.strip().lower()
    for s in SIGNATURES.values():
        if wanted == s.name or wanted in s.aliases:
            return s.name
    return None


def choices() -> tuple[str, ...]:
    """Every spelling the command line accepts."""
    return tuple(n for s in SIGNATURES.values() for n in (s.name, *s.aliases))
