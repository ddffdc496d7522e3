"""The future ``publish()`` returns: a ``concurrent.futures.Future`` that cannot be cancelled."""

from __future__ import annotations

import concurrent.futures


class Future(concurrent.futures.Future):  # type: ignore[type-arg]
    """Resolved with the server-assigned message id once the batch is committed."""

    def cancel(self) -> bool:
        # Like the real library: a message handed to the publisher cannot be called back.
        return False

    def cancelled(self) -> bool:
        return False
