"""Sample events, and any event, as the HTTP request that delivers it (for ``lastword call``).

A request is ``(headers, body)``: headers as (name, value) pairs, the body as bytes. An event
goes out in one of three modes: a CloudEvent in ``binary`` or ``structured`` content mode, or a
``legacy`` (background) event; converting between CloudEvents and legacy events as needed, with
the same rules a function's server applies when it receives them. The samples have the shapes of
the Functions Framework conformance data (Pub/Sub, Cloud Storage, Firestore, Firebase).
"""

from __future__ import annotations

import base64
import datetime
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal, get_args

from ._cloudevent import parse_structured
from ._convert import can_become_legacy, cloudevent_to_legacy, legacy_to_cloudevent
from ._http import CLOUDEVENTS_JSON, JsonBody
from ._legacy import PUBSUB_MESSAGE_TYPE, parse_legacy
from ._mapping import (
    FIREBASE_DATABASE,
    FIREBASE_DATABASE_DEFAULT_DOMAIN,
    FIREBASE_DATABASE_DEFAULT_LOCATION,
)

RequestMode = Literal["binary", "structured", "legacy"]
REQUEST_MODES: tuple[RequestMode, ...] = get_args(RequestMode)
Request = tuple[list[tuple[str, str]], bytes]

_PROJECT = "my-project"


def _pubsub(event_id: str, time: str) -> tuple[dict[str, Any], Any]:
    message = {
        "@type": PUBSUB_MESSAGE_TYPE,
        "messageId": event_id,
        "publishTime": time,
        "attributes": {"origin": "lastword-call"},
        "data": base64.b64encode(b"Hello from lastword").decode("ascii"),
    }
    return (
        {
            "source": f"//pubsub.googleapis.com/projects/{_PROJECT}/topics/my-topic",
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
        },
        {"subscription": f"projects/{_PROJECT}/subscriptions/my-subscription", "message": message},
    )


def _storage(event_id: str, time: str) -> tuple[dict[str, Any], Any]:
    bucket, name, generation = "my-bucket", "folder/hello.txt", "1701388800000000"
    data = {
        "bucket": bucket,
        "contentType": "text/plain",
        "crc32c": "rTVTeQ==",
        "etag": "CNHZkbuF/ugCEAE=",
        "generation": generation,
        "id": f"{bucket}/{name}/{generation}",
        "kind": "storage#object",
        "md5Hash": "kF8MuJ5+CTJxvyhHS1xzRg==",
        "mediaLink": f"https://www.googleapis.com/download/storage/v1/b/{bucket}/o/folder%2Fhello.txt?generation={generation}&alt=media",
        "metageneration": "1",
        "name": name,
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{bucket}/o/folder%2Fhello.txt",
        "size": "19",
        "storageClass": "STANDARD",
        "timeCreated": time,
        "timeStorageClassUpdated": time,
        "updated": time,
    }
    return (
        {
            "source": f"//storage.googleapis.com/projects/_/buckets/{bucket}",
            "subject": f"objects/{name}",
            "type": "google.cloud.storage.object.v1.finalized",
        },
        data,
    )


def _firestore(event_id: str, time: str) -> tuple[dict[str, Any], Any]:
    document = f"projects/{_PROJECT}/databases/(default)/documents/users/alice"

    def version(visits: int) -> dict[str, Any]:
        fields = {"name": {"stringValue": "Alice"}, "visits": {"integerValue": str(visits)}}
        return {"createTime": time, "fields": fields, "name": document, "updateTime": time}

    return (
        {
            "source": f"//firestore.googleapis.com/projects/{_PROJECT}/databases/(default)",
            "subject": "documents/users/alice",
            "type": "google.cloud.firestore.document.v1.written",
        },
        {"oldValue": version(1), "updateMask": {"fieldPaths": ["visits"]}, "value": version(2)},
    )


def _firebase_auth(event_id: str, time: str) -> tuple[dict[str, Any], Any]:
    uid = "UUpby3s4spZre6kHsgVSPetzQ8l2"
    data = {
        "email": "alice@example.com",
        "metadata": {"createTime": time, "lastSignInTime": time},
        "providerData": [
            {"email": "alice@example.com", "providerId": "password", "uid": "alice@example.com"}
        ],
        "uid": uid,
    }
    return (
        {
            "source": f"//firebaseauth.googleapis.com/projects/{_PROJECT}",
            "subject": f"users/{uid}",
            "type": "google.firebase.auth.user.v1.created",
        },
        data,
    )


def _firebase_db(event_id: str, time: str) -> tuple[dict[str, Any], Any]:
    return (
        {
            "source": f"//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/{_PROJECT}-default-rtdb",
            "subject": "refs/messages/m1",
            "type": "google.firebase.database.ref.v1.written",
        },
        {"data": None, "delta": {"text": "Hello from lastword"}},
    )


_SAMPLES: dict[str, Callable[[str, str], tuple[dict[str, Any], Any]]] = {
    "pubsub": _pubsub,
    "storage": _storage,
    "firestore": _firestore,
    "firebase-auth": _firebase_auth,
    "firebase-db": _firebase_db,
}
SAMPLE_KINDS: tuple[str, ...] = tuple(_SAMPLES)


def sample_event(kind: str, *, event_id: str | None = None, time: str | None = None) -> dict[str, Any]:
    """A sample CloudEvent of that kind, as the JSON object of its structured form.

    ``event_id`` defaults to a new UUID, ``time`` to now (RFC 3339, UTC).
    """
    build = _SAMPLES.get(kind)
    if build is None:
        raise ValueError(f"no sample event is called {kind!r}; the samples are {', '.join(SAMPLE_KINDS)}")
    event_id = event_id if event_id is not None else str(uuid.uuid4())
    time = time if time is not None else _now()
    attributes, data = build(event_id, time)
    return {
        "specversion": "1.0",
        "id": event_id,
        **attributes,
        "time": time,
        "datacontenttype": "application/json",
        "data": data,
    }


def sample_request(
    kind: str, mode: RequestMode = "binary", *, event_id: str | None = None, time: str | None = None
) -> Request:
    """The request that delivers a sample event of that kind in that mode."""
    return encode_event(sample_event(kind, event_id=event_id, time=time), mode)


def encode_event(event: Mapping[str, Any], mode: RequestMode) -> Request:
    """The request that delivers ``event`` in ``mode``.

    ``event`` is what a JSON file would hold: a CloudEvent in its structured form (it has a
    ``specversion``), or a legacy event (``data`` and ``context``, or the flat form). It is
    converted when the mode asks for the other kind; raises an ``EventRequestError`` when the
    event is invalid or has no equivalent of the other kind, ``ValueError`` when it cannot be
    carried that way.
    """
    if mode not in REQUEST_MODES:
        raise ValueError(f"unknown mode {mode!r}; the modes are {', '.join(REQUEST_MODES)}")
    decoded = JsonBody.of(dict(event))
    if "specversion" in event:
        parsed = parse_structured(decoded)
        attributes, data = parsed.attributes, parsed.data
        if mode != "legacy":
            return _cloud_event_request(attributes, data, mode)
        if not can_become_legacy(attributes):
            raise ValueError(
                f"the CloudEvent type {attributes['type']!r} has no legacy equivalent; send it"
                " in binary or structured mode"
            )
        legacy_data, context = cloudevent_to_legacy(attributes, data)
        body: dict[str, Any] = {
            "context": {
                "eventId": context.event_id,
                "timestamp": context.timestamp,
                "eventType": context.event_type,
                "resource": context.resource,
            },
            "data": legacy_data,
        }
        domain = _firebase_database_domain(attributes["source"])
        if domain is not None:
            body["domain"] = domain
        return _json_request("application/json", body)
    legacy = parse_legacy(decoded)
    if mode == "legacy":
        return _json_request("application/json", dict(event))
    attributes, data = legacy_to_cloudevent(legacy)
    return _cloud_event_request(attributes, data, mode)


def _cloud_event_request(attributes: Mapping[str, Any], data: Any, mode: RequestMode) -> Request:
    if mode == "structured":
        body = dict(attributes)
        if isinstance(data, bytes):
            body["data_base64"] = base64.b64encode(data).decode("ascii")
        elif data is not None:
            body["data"] = data
        return _json_request(CLOUDEVENTS_JSON, body)
    default_type = "application/octet-stream" if isinstance(data, bytes) else "application/json"
    headers = [("content-type", str(attributes.get("datacontenttype") or default_type))]
    for name, value in attributes.items():
        if name != "datacontenttype":
            headers.append((f"ce-{name}", _header_value(name, value)))
    if data is None:
        payload = b""
    elif isinstance(data, bytes):
        payload = data
    else:
        payload = json.dumps(data).encode()
    return headers, payload


def _header_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isprintable():
        return value
    raise ValueError(
        f"the attribute {name} cannot be sent as a ce-{name} header (it is not a printable ASCII"
        " string, a number or a boolean); send the event in structured mode"
    )


def _json_request(content_type: str, body: Any) -> Request:
    if _has_bytes(body):
        raise ValueError("the event's data is binary; a legacy event carries JSON data only")
    return [("content-type", content_type)], json.dumps(body).encode()


def _has_bytes(value: Any) -> bool:
    if isinstance(value, bytes):
        return True
    if isinstance(value, dict):
        return any(_has_bytes(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_bytes(item) for item in value)
    return False


def _firebase_database_domain(source: Any) -> str | None:
    """The legacy ``domain`` of a Realtime Database event, from its CloudEvent source."""
    prefix = f"//{FIREBASE_DATABASE}/projects/_/locations/"
    if not isinstance(source, str) or not source.startswith(prefix):
        return None
    location = source[len(prefix) :].split("/", 1)[0]
    if location == FIREBASE_DATABASE_DEFAULT_LOCATION:
        return FIREBASE_DATABASE_DEFAULT_DOMAIN
    return f"{location}.firebasedatabase.app"


def _now() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
