"""The ``event`` signature type (legacy background functions): ``def f(data, context)``.

The function receives the event's data and a context with ``event_id``, ``timestamp``,
``event_type`` and ``resource``, as functions-framework passes them: from a legacy event, a raw
Pub/Sub push (the topic taken from the path), or a CloudEvent (converted when it is of a Google
event type). A request that holds no usable event gets 400 naming what is missing or malformed.
Returning acknowledges the event: 200 ``OK``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import BadRequest
from .._events import EventRequestError, legacy_event_from_request
from ._acknowledged import Acknowledged, AcknowledgedCall

if TYPE_CHECKING:
    from .._request import Incoming


class EventAdapter(Acknowledged):
    receives = "events"

    def call(self, request: Incoming) -> AcknowledgedCall:
        self.check_method(request)
        scope = request.scope
        try:
            data, context = legacy_event_from_request(scope["headers"], request.body, scope["path"])
        except EventRequestError as error:
            raise BadRequest(f"Bad Request: {error}.") from None
        return AcknowledgedCall(self, request, (data, context))
