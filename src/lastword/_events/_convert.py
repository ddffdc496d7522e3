"""Legacy events to CloudEvents and back, for the Google event sources.

The general rules are in :mod:`._mapping` as tables; what one service does beyond them (Pub/Sub
wraps its message, Firebase Auth renames two fields...) is a small hook, picked from a table by
service. Data is never modified in place: a converted event gets new dicts where it differs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import _mapping as m
from ._errors import ConversionFailed, described, quote
from ._legacy import PUBSUB_MESSAGE_TYPE, Context, LegacyEvent

ToCloudEvent = Callable[[LegacyEvent, str, str | None, Any], tuple[str, str | None, Any]]
"""(event, resource, subject, data) -> the CloudEvent's (resource, subject, data)."""
ToLegacy = Callable[[str, str, str | None, Any], tuple[Any, Any]]
"""(service, resource, subject, data) -> the legacy event's (data, resource)."""

_TO_CE = "cannot convert the legacy event to a CloudEvent"
_TO_LEGACY = "cannot convert the CloudEvent to a legacy event"


def legacy_to_cloudevent(event: LegacyEvent) -> tuple[dict[str, Any], Any]:
    """The CloudEvent (attributes, data) equivalent to a legacy event."""
    event_type = event.event_type
    if not isinstance(event_type, str) or not event_type:
        raise ConversionFailed(
            f"{_TO_CE}: it has no eventType (in context or at the top level), so its CloudEvent"
            " type is unknown"
        )
    ce_type = m.LEGACY_TO_CLOUDEVENT_TYPE.get(event_type)
    if ce_type is None:
        raise ConversionFailed(
            f"{_TO_CE}: its eventType {quote(event_type)} is not a Google event type with a"
            " CloudEvent equivalent; declare the function with the event signature type"
            " (def f(data, context)) to receive it as it is"
        )
    service, name = _service_and_name(event)
    resource, subject = _split(service, name)
    hook = _TO_CLOUDEVENT.get(service)
    data = event.data
    if hook is not None:
        resource, subject, data = hook(event, resource, subject, data)
    # In the order functions-framework gives a converted event's attributes.
    attributes: dict[str, Any] = {
        "id": event.event_id,
        "time": event.timestamp,
        "specversion": "1.0",
        "datacontenttype": "application/json",
        "type": ce_type,
        "source": f"//{service}/{resource}",
    }
    if subject:
        attributes["subject"] = subject
    return attributes, data


def can_become_legacy(attributes: Mapping[str, Any]) -> bool:
    """Whether a CloudEvent's type has a legacy equivalent."""
    return attributes.get("type") in m.CLOUDEVENT_TO_LEGACY_TYPE


def cloudevent_to_legacy(attributes: Mapping[str, Any], data: Any) -> tuple[Any, Context]:
    """The legacy (data, context) equivalent to a CloudEvent."""
    legacy_type = m.CLOUDEVENT_TO_LEGACY_TYPE.get(attributes.get("type"))  # type: ignore[arg-type]
    if legacy_type is None:
        raise ConversionFailed(
            f"{_TO_LEGACY}: its type {quote(attributes.get('type'))} has no legacy equivalent;"
            " declare the function with the cloudevent signature type to receive it"
        )
    source = attributes.get("source")
    match = m.SOURCE.fullmatch(source) if isinstance(source, str) else None
    if match is None:
        raise ConversionFailed(
            f"{_TO_LEGACY}: its source {quote(source)} is not of the form //{{service}}/{{resource}}"
        )
    service, name = match.group(1), match.group(2)
    subject = attributes.get("subject")
    if subject is not None and not isinstance(subject, str):
        raise ConversionFailed(f"{_TO_LEGACY}: its subject is {quote(subject)}, not a string")
    hook = _TO_LEGACY_HOOKS.get(service, _joined_resource)
    data, resource = hook(service, name, subject, data)
    timestamp = attributes["time"] if "time" in attributes else _sdk_now()
    return data, Context(attributes.get("id"), timestamp, legacy_type, resource)


# -- legacy -> CloudEvent ------------------------------------------------------------------------


def _service_and_name(event: LegacyEvent) -> tuple[str, str]:
    resource = event.resource
    service: Any = ""
    if isinstance(resource, dict):
        service = resource.get("service") or ""
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            raise ConversionFailed(f"{_TO_CE}: its resource object has no name")
        if not isinstance(service, str):
            raise ConversionFailed(f"{_TO_CE}: its resource service is {quote(service)}, not a string")
    elif isinstance(resource, str) and resource:
        name = resource
    else:
        raise ConversionFailed(
            f"{_TO_CE}: its resource is {quote(resource) if resource != '' else 'missing'}; it must"
            " be a resource name, or an object with service and name"
        )
    if not service:
        service = next(
            (svc for prefix, svc in m.SERVICE_BY_TYPE_PREFIX if event.event_type.startswith(prefix)),
            "",
        )
    if not service:  # every type of the table has a prefix; a guard for future entries
        raise ConversionFailed(f"{_TO_CE}: no service is known for its eventType {quote(event.event_type)}")
    return service, name


def _split(service: str, name: str) -> tuple[str, str | None]:
    rule = m.RESOURCE_SPLIT.get(service)
    if rule is None:
        return name, None
    pattern, shape = rule
    match = pattern.fullmatch(name)
    if match is None:
        raise ConversionFailed(
            f"{_TO_CE}: its resource {quote(name)} is not of the form {shape} that {service}"
            " events have"
        )
    return match.group(1), match.group(2)


def _pubsub_to_ce(event: LegacyEvent, resource: str, subject: str | None, data: Any) -> tuple[str, str | None, Any]:
    if not isinstance(data, dict):
        raise ConversionFailed(
            f"{_TO_CE}: the data of a Pub/Sub event must be a JSON object (a PubsubMessage), got"
            f" {described(data)}"
        )
    message = dict(data)
    message.setdefault("messageId", event.event_id)
    message.setdefault("publishTime", event.timestamp)
    return resource, subject, {"message": message}


def _firebase_auth_to_ce(event: LegacyEvent, resource: str, subject: str | None, data: Any) -> tuple[str, str | None, Any]:
    if not isinstance(data, dict):
        return resource, subject, data
    data = _renamed_metadata(data, m.FIREBASE_AUTH_METADATA_TO_CLOUDEVENT)
    if "uid" in data:
        subject = f"users/{data['uid']}"
    return resource, subject, data


def _firebase_database_to_ce(event: LegacyEvent, resource: str, subject: str | None, data: Any) -> tuple[str, str | None, Any]:
    domain = event.domain
    if not isinstance(domain, str) or not domain:
        raise ConversionFailed(
            f"{_TO_CE}: a Firebase Realtime Database event needs the top-level field domain (for"
            " example firebaseio.com) to know the database's location"
        )
    if domain == m.FIREBASE_DATABASE_DEFAULT_DOMAIN:
        location = m.FIREBASE_DATABASE_DEFAULT_LOCATION
    else:
        location = domain.split(".", 1)[0]
    return f"projects/_/locations/{location}/{resource}", subject, data


def _firebase_analytics_to_ce(event: LegacyEvent, resource: str, subject: str | None, data: Any) -> tuple[str, str | None, Any]:
    app_id: Any = data
    for key in ("userDim", "appInfo", "appId"):
        app_id = app_id.get(key) if isinstance(app_id, dict) else None
    if not isinstance(app_id, str) or not app_id:
        raise ConversionFailed(
            f"{_TO_CE}: a Firebase Analytics event needs data.userDim.appInfo.appId (the app of"
            " its source)"
        )
    return f"{resource}/apps/{app_id}", subject, data


_TO_CLOUDEVENT: dict[str, ToCloudEvent] = {
    m.PUBSUB: _pubsub_to_ce,
    m.FIREBASE_AUTH: _firebase_auth_to_ce,
    m.FIREBASE_DATABASE: _firebase_database_to_ce,
    m.FIREBASE_ANALYTICS: _firebase_analytics_to_ce,
}


# -- CloudEvent -> legacy ------------------------------------------------------------------------


def _joined_resource(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    return data, f"{name}/{subject}" if subject else name


def _pubsub_to_legacy(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    if isinstance(data, dict) and "message" in data:
        data = data["message"]
    if not isinstance(data, dict):
        raise ConversionFailed(
            f"{_TO_LEGACY}: the data of a Pub/Sub event must be a JSON object with a message"
            f" object, got {described(data)}"
        )
    message = {key: value for key, value in data.items() if key not in ("messageId", "publishTime")}
    return message, {"service": service, "name": name, "type": PUBSUB_MESSAGE_TYPE}


def _firebase_auth_to_legacy(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    if isinstance(data, dict):
        data = _renamed_metadata(data, m.FIREBASE_AUTH_METADATA_TO_LEGACY)
    return data, name


def _storage_to_legacy(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    if not subject:
        raise ConversionFailed(f"{_TO_LEGACY}: a Cloud Storage event needs a subject (objects/...)")
    if not isinstance(data, dict) or "kind" not in data:
        raise ConversionFailed(
            f"{_TO_LEGACY}: the data of a Cloud Storage event must be an object with kind (for"
            " example storage#object)"
        )
    return data, {"name": f"{name}/{subject}", "service": service, "type": data["kind"]}


def _firebase_database_to_legacy(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    return _joined_resource(service, re.sub(r"/locations/[^/]+", "", name, count=1), subject, data)


def _firebase_analytics_to_legacy(service: str, name: str, subject: str | None, data: Any) -> tuple[Any, Any]:
    return _joined_resource(service, re.sub(r"/apps/[^/]+$", "", name), subject, data)


_TO_LEGACY_HOOKS: dict[str, ToLegacy] = {
    m.PUBSUB: _pubsub_to_legacy,
    m.FIREBASE_AUTH: _firebase_auth_to_legacy,
    m.STORAGE: _storage_to_legacy,
    m.FIREBASE_DATABASE: _firebase_database_to_legacy,
    m.FIREBASE_ANALYTICS: _firebase_analytics_to_legacy,
}


def _renamed_metadata(data: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return data
    renamed = {names.get(key, key): value for key, value in metadata.items()}
    return {**data, "metadata": renamed}


def _sdk_now() -> str:
    """The time the cloudevents SDK gives an event that has none."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat()
