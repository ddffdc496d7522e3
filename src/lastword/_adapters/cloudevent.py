"""The ``cloudevent`` signature type: ``def f(cloud_event)`` and ``async def f(cloud_event)``.

The function receives the ``cloudevents`` SDK's ``CloudEvent`` (``event["type"]``,
``event.data``, extensions), read from a binary or structured content mode request, or converted
from a legacy event or a Pub/Sub push; the request's ``traceparent`` becomes the event's
``traceparent`` extension. A request that holds no usable event gets 400 naming what is missing
or malformed (the function is not called). Returning acknowledges the event: 200 ``OK``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import BadRequest
from .._events import EventRequestError, cloud_event_from_request
from ._acknowledged import Acknowledged, AcknowledgedCall

if TYPE_CHECKING:
    from .._request import Incoming


class CloudEventAdapter(Acknowledged):
    receives = "CloudEvents"

    def call(self, request: Incoming) -> AcknowledgedCall:
        self.check_method(request)
        scope = request.scope
        try:
            event = cloud_event_from_request(scope["headers"], request.body, scope["path"])
        except EventRequestError as error:
            raise BadRequest(f"Bad Request: {error}.") from None
        return AcknowledgedCall(self, request, (event,))
