"""Signature adapters: one module per signature type, chosen from the table in ``_signatures``.

An adapter decides *what* the function receives (a Flask or Starlette request, a CloudEvent,
``data`` and ``context``, a typed object) and *how* its return value becomes a response. *Where*
the function runs (the event loop, or the thread pool) is decided once, by the invoker.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .._signatures import SIGNATURES, SignatureType

if TYPE_CHECKING:
    from ._base import AdapterFactory


def adapter_factory(signature_type: SignatureType) -> AdapterFactory:
    """The adapter class for ``signature_type``; its module is imported only now."""
    module, _, name = SIGNATURES[signature_type].adapter.partition(":")
    factory: AdapterFactory = getattr(importlib.import_module(module), name)
    return factory
