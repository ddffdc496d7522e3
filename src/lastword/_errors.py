"""The exceptions lastword raises itself.

Every error that stops lastword from starting is a :class:`StartupError`: the CLI prints its
message (written for the person whose function cannot be served) and exits with
:data:`STARTUP_FAILURE` — a named code a supervisor uses to stop respawning a worker that can never
start. No lastword traceback is ever shown for these.
"""

from __future__ import annotations

STARTUP_FAILURE = 3
"""Exit status of a process whose function could not be loaded."""


class LastwordError(Exception):
    """Base class of lastword's own errors."""


class StartupError(LastwordError):
    """The function cannot be served; the message says why and what to do."""


class SourceNotFound(StartupError):
    pass


class TargetNotFound(StartupError):
    pass


class TargetNotCallable(StartupError):
    pass


class BadSignature(StartupError):
    pass


class UserImportError(StartupError):
    """The user's module raised while it was being imported."""


class ConfigError(StartupError):
    """A configuration value is not acceptable."""


class BadReturn(LastwordError):
    """The function did not respond: it returned None, or an awaitable instead of a response."""

    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome


class BadRequest(LastwordError):
    """The request cannot become the function's arguments (a malformed event): a 400 whose body
    is this message, which names what is missing or malformed and never echoes the request.
    The function is not called."""

    status = 400
    headers: tuple[tuple[bytes, bytes], ...] = ()


class MethodNotAllowed(BadRequest):
    """An event function receives its events by POST: any other method gets 405 with
    ``Allow: POST``; the function is not called."""

    status = 405
    headers = ((b"allow", b"POST"),)


class BodyTooLarge(LastwordError):
    """The request body is larger than the platform accepts."""


class ClientGone(LastwordError):
    """The client went away before the function was called: it is not called."""


class InvocationTimeout(BaseException):
    """Raised in a function that is still running at its deadline, to stop it.

    A ``BaseException`` (like ``asyncio.CancelledError``), so that ``except Exception`` in the
    function does not swallow it.
    """
