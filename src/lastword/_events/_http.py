"""Plain-data views of the parts of an HTTP request that events are read from.

Headers come as a mapping or as (name, value) pairs, str or bytes (ASGI's raw headers); they
are reduced to one dict with lower-case names. A CloudEvents header (``ce-*``) or Content-Type
sent twice is refused: which copy is the event's is not knowable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import EventRequestError

HeaderPairs = Iterable[tuple[str | bytes, str | bytes]]
Headers = Mapping[str, str] | HeaderPairs
"""What the functions of this package accept as request headers."""

CLOUDEVENTS_JSON = "application/cloudevents+json"
CLOUDEVENTS_BATCH_JSON = "application/cloudevents-batch+json"


_READ = frozenset({"content-type", "traceparent", "tracestate"})
"""Besides the ``ce-*`` headers, the ones events are read from."""
_READ_BYTES = frozenset(name.encode() for name in _READ)


def header_dict(headers: Headers) -> dict[str, str]:
    """Lower-case name -> value of the headers events are read from (``ce-*``, Content-Type,
    ``traceparent``, ``tracestate``; the others are not even decoded); ``ce-*`` and Content-Type
    must appear at most once."""
    pairs: Iterable[tuple[str | bytes, str | bytes]]
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    result: dict[str, str] = {}
    for raw_name, raw_value in pairs:
        if isinstance(raw_name, bytes):
            lowered = raw_name.lower()  # ASGI's are lower case already: this is cheap
            if lowered[:3] != b"ce-" and lowered not in _READ_BYTES:
                continue
            name = lowered.decode("latin-1")
        else:
            name = raw_name.lower()
            if name[:3] != "ce-" and name not in _READ:
                continue
        value = raw_value.decode("latin-1") if isinstance(raw_value, bytes) else raw_value
        if name in result and (name[:3] == "ce-" or name == "content-type"):
            raise EventRequestError(
                f"the request has the header {name} more than once; an event has one value for"
                " it: send the header once"
            )
        result[name] = value
    return result


def media_type(headers: Mapping[str, str]) -> str:
    """The Content-Type without parameters, lower case ('' when absent)."""
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


class JsonBody:
    """The request body decoded as JSON, once; ``problem`` says why it is not JSON."""

    __slots__ = ("value", "problem")

    def __init__(self, body: bytes):
        self.value: Any = None
        self.problem: str | None = None
        if not body.strip():
            self.problem = "is empty"
            return
        try:
            self.value = json.loads(body)
        except json.JSONDecodeError as error:
            self.problem = (
                f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
            )
        except UnicodeDecodeError:
            self.problem = "is not valid JSON (it is not UTF-8, UTF-16 or UTF-32 text)"
        except RecursionError:
            self.problem = "is JSON nested too deeply to decode"

    @classmethod
    def of(cls, value: Any) -> JsonBody:
        """A body that decoded to ``value``."""
        body = cls(b"null")
        body.value = value
        return body

    @property
    def ok(self) -> bool:
        return self.problem is None
