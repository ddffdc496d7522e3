"""Observers of the lifecycle: the model notifies, observers log (or record, or count).

A :class:`~lastword._lifecycle.Lifecycle` tells each of its observers what happens to its
invocations. The defaults write lastword's reports (:class:`lastword._reports.ReportLog`) and the
per-invocation request line (:class:`lastword._request_log.RequestLog`); ``lastword.testing`` adds
one that keeps each invocation's report for the test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._invocation import Invocation, Work
    from ._report_texts import Event


class Observer:
    """What an observer is told. Every method is optional (the defaults do nothing); they are
    called on the thread where the event happens, and must not raise."""

    def responded(self, invocation: Invocation) -> None:
        """The last byte of ``invocation``'s response went to the server; the policy was applied
        (``invocation.left``, ``cancelled``, ``waited_for``, ``outcome``, ``status`` are final)."""

    def waited(self, invocation: Invocation, works: list[Work], seconds: float, finished: bool) -> None:
        """Policy 'wait' held the response ``seconds`` for ``works`` (``finished``: all of them
        ended before the deadline)."""

    def late(self, work: Work, event: Event, error: BaseException | None) -> None:
        """Something happened to ``work`` after its invocation responded: it was started
        (``started-late``), it ended (``finished-late``), it raised (``raised-late``), or it was
        cut off at shutdown (``shutdown``)."""

    def closed(self) -> None:
        """The server is shutting down: say what is still unsaid."""


class CallbackObserver(Observer):
    """An observer that is one function of the responded invocation."""

    def __init__(self, callback: Callable[[Invocation], None]):
        self.callback = callback

    def responded(self, invocation: Invocation) -> None:
        self.callback(invocation)
