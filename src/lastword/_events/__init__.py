"""Events without I/O: reading CloudEvents and legacy events from requests, converting between
them, and building sample event requests.

Plain functions over plain data (headers as a mapping or pairs, the body as bytes, the path);
the adapters that serve event functions call them and turn :class:`EventRequestError` into a 400
whose body is the error's message. The ``cloudevents`` SDK is imported only when a CloudEvent
object is built.
"""

from ._convert import cloudevent_to_legacy, legacy_to_cloudevent
from ._errors import (
    BatchNotSupported,
    ConversionFailed,
    EventRequestError,
    MalformedCloudEvent,
    MalformedLegacyEvent,
    NotAnEvent,
)
from ._legacy import Context, LegacyEvent
from ._request import cloud_event_from_request, cloud_event_parts, legacy_event_from_request
from ._samples import (
    REQUEST_MODES,
    SAMPLE_KINDS,
    RequestMode,
    encode_event,
    sample_event,
    sample_request,
)

__all__ = [
    "REQUEST_MODES",
    "SAMPLE_KINDS",
    "BatchNotSupported",
    "Context",
    "ConversionFailed",
    "EventRequestError",
    "LegacyEvent",
    "MalformedCloudEvent",
    "MalformedLegacyEvent",
    "NotAnEvent",
    "RequestMode",
    "cloud_event_from_request",
    "cloud_event_parts",
    "cloudevent_to_legacy",
    "encode_event",
    "legacy_event_from_request",
    "legacy_to_cloudevent",
    "sample_event",
    "sample_request",
]
