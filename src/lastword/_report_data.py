"""An invocation's report as plain data: what lastword.testing returns and the report header carries."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ._invocation import Invocation, Work


@dataclasses.dataclass(frozen=True)
class WorkReport:
    kind: str
    description: str
    site: str
    """file:line in the user's code that started the work."""
    state: str
    """'running' (left behind), 'cancelled', 'waited' or 'handed off'."""
    message: str = ""

    def __str__(self) -> str:
        return self.message or f"{self.site}: {self.kind} {self.description} ({self.state})"


@dataclasses.dataclass(frozen=True)
class InvocationReport:
    id: str
    function: str
    status: int | None
    outcome: str | None
    policy: str
    leftovers: tuple[WorkReport, ...] = ()
    """Work still running (or never awaited) when the response was sent."""
    cancelled: tuple[WorkReport, ...] = ()
    waited_for: tuple[WorkReport, ...] = ()
    handed_off: tuple[WorkReport, ...] = ()
    streamed: bool = False

    @property
    def clean(self) -> bool:
        return not self.leftovers and self.outcome in ("ok", None)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> InvocationReport:
        data: dict[str, Any] = json.loads(text)
        for key in ("leftovers", "cancelled", "waited_for", "handed_off"):
            data[key] = tuple(WorkReport(**item) for item in data.get(key, ()))
        return cls(**data)


def _work(work: Work, state: str) -> WorkReport:
    from ._reports import event_at_response, message, where

    site = work.site
    return WorkReport(
        kind=work.kind,
        description=work.description,
        site=f"{site.filename}:{site.lineno}" if site else where(work),
        state=state,
        message=message(work, event_at_response(work))[1] if state in ("running", "cancelled") else "",
    )


def report_of(
    invocation: Invocation, status: int | None = None, streamed: bool = False
) -> InvocationReport:
    """A snapshot of ``invocation`` (call it when its response is sent)."""
    from ._lifecycle import leftovers_at_response

    cancelled = invocation.cancelled or []
    left = set(leftovers_at_response(invocation))
    leftovers = [
        _work(w, "running")
        for w in invocation.work or ()
        if w.kind == "unawaited coroutine" or (w in left and w not in cancelled)
    ]
    return InvocationReport(
        id=invocation.id,
        function=invocation.function,
        status=status if status is not None else invocation.status,
        outcome=invocation.outcome or ("ok" if (status or 0) < 500 else "crash"),
        policy=invocation.policy,
        leftovers=tuple(leftovers),
        cancelled=tuple(_work(w, "cancelled") for w in cancelled),
        waited_for=tuple(_work(w, "waited") for w in invocation.waited_for or ()),
        handed_off=tuple(_work(w, "handed off") for w in invocation.handed_off()),
        streamed=streamed or invocation.streamed,
    )


def report_header(invocation: Invocation, status: int, streamed: bool) -> bytes:
    return report_of(invocation, status, streamed).to_json().encode("utf-8")
