"""The tables that map legacy (GCF) events and CloudEvents onto each other.

From the Functions Framework conformance mapping (functions-framework-conformance,
``docs/mapping.md``) and the expected outputs of its test data, which differ from that document in
two places: Firebase Auth and Realtime Database events use the services
``firebaseauth.googleapis.com`` and ``firebasedatabase.googleapis.com``.
"""

from __future__ import annotations

import re

PUBSUB = "pubsub.googleapis.com"
STORAGE = "storage.googleapis.com"
FIRESTORE = "firestore.googleapis.com"
FIREBASE_AUTH = "firebaseauth.googleapis.com"
FIREBASE_DATABASE = "firebasedatabase.googleapis.com"
FIREBASE_ANALYTICS = "firebaseanalytics.googleapis.com"
FIREBASE_REMOTE_CONFIG = "firebaseremoteconfig.googleapis.com"

LEGACY_TO_CLOUDEVENT_TYPE: dict[str, str] = {
    "google.pubsub.topic.publish": "google.cloud.pubsub.topic.v1.messagePublished",
    "providers/cloud.pubsub/eventTypes/topic.publish": "google.cloud.pubsub.topic.v1.messagePublished",
    "google.storage.object.finalize": "google.cloud.storage.object.v1.finalized",
    "google.storage.object.delete": "google.cloud.storage.object.v1.deleted",
    "google.storage.object.archive": "google.cloud.storage.object.v1.archived",
    "google.storage.object.metadataUpdate": "google.cloud.storage.object.v1.metadataUpdated",
    "providers/cloud.storage/eventTypes/object.change": "google.cloud.storage.object.v1.finalized",
    "providers/cloud.firestore/eventTypes/document.write": "google.cloud.firestore.document.v1.written",
    "providers/cloud.firestore/eventTypes/document.create": "google.cloud.firestore.document.v1.created",
    "providers/cloud.firestore/eventTypes/document.update": "google.cloud.firestore.document.v1.updated",
    "providers/cloud.firestore/eventTypes/document.delete": "google.cloud.firestore.document.v1.deleted",
    "providers/firebase.auth/eventTypes/user.create": "google.firebase.auth.user.v1.created",
    "providers/firebase.auth/eventTypes/user.delete": "google.firebase.auth.user.v1.deleted",
    "providers/firebase.remoteConfig/remoteconfig.update": "google.firebase.remoteconfig.remoteConfig.v1.updated",
    "providers/google.firebase.analytics/eventTypes/event.log": "google.firebase.analytics.log.v1.written",
    "providers/google.firebase.database/eventTypes/ref.create": "google.firebase.database.ref.v1.created",
    "providers/google.firebase.database/eventTypes/ref.write": "google.firebase.database.ref.v1.written",
    "providers/google.firebase.database/eventTypes/ref.update": "google.firebase.database.ref.v1.updated",
    "providers/google.firebase.database/eventTypes/ref.delete": "google.firebase.database.ref.v1.deleted",
}

_OLDER_SPELLINGS = {
    "providers/cloud.pubsub/eventTypes/topic.publish",
    "providers/cloud.storage/eventTypes/object.change",
}
"""Legacy types that share their CloudEvent type with a newer spelling: never produced back."""

CLOUDEVENT_TO_LEGACY_TYPE: dict[str, str] = {
    ce: legacy for legacy, ce in LEGACY_TO_CLOUDEVENT_TYPE.items() if legacy not in _OLDER_SPELLINGS
}

SERVICE_BY_TYPE_PREFIX: tuple[tuple[str, str], ...] = (
    ("providers/cloud.firestore/", FIRESTORE),
    ("providers/google.firebase.analytics/", FIREBASE_ANALYTICS),
    ("providers/firebase.auth/", FIREBASE_AUTH),
    ("providers/google.firebase.database/", FIREBASE_DATABASE),
    ("providers/firebase.remoteConfig/", FIREBASE_REMOTE_CONFIG),
    ("providers/cloud.pubsub/", PUBSUB),
    ("providers/cloud.storage/", STORAGE),
    ("google.pubsub", PUBSUB),
    ("google.storage", STORAGE),
)
"""The service of a legacy event whose resource does not name one, by event type prefix."""

RESOURCE_SPLIT: dict[str, tuple[re.Pattern[str], str]] = {
    # The object generation (#1588778055917163) is not part of the subject.
    STORAGE: (
        re.compile(r"^(projects/[^/]+/buckets/[^/]+)/(objects/.+?)(?:#\d+)?$"),
        "projects/_/buckets/{bucket}/objects/{object}",
    ),
    FIRESTORE: (
        re.compile(r"^(projects/[^/]+/databases/[^/]+)/(documents/.+)$"),
        "projects/{project}/databases/{database}/documents/{path}",
    ),
    FIREBASE_DATABASE: (
        re.compile(r"^projects/_/(instances/[^/]+)/(refs/.+)$"),
        "projects/_/instances/{instance}/refs/{path}",
    ),
    FIREBASE_ANALYTICS: (
        re.compile(r"^(projects/[^/]+)/(events/[^/]+)$"),
        "projects/{project}/events/{event}",
    ),
}
"""How a legacy resource name splits into the CloudEvent source's resource and the subject."""

FIREBASE_AUTH_METADATA_TO_CLOUDEVENT = {"createdAt": "createTime", "lastSignedInAt": "lastSignInTime"}
FIREBASE_AUTH_METADATA_TO_LEGACY = {ce: legacy for legacy, ce in FIREBASE_AUTH_METADATA_TO_CLOUDEVENT.items()}

FIREBASE_DATABASE_DEFAULT_DOMAIN = "firebaseio.com"
FIREBASE_DATABASE_DEFAULT_LOCATION = "us-central1"

SOURCE = re.compile(r"//([^/]+)/(.+)")
"""A Google CloudEvent source: //{service}/{resource}."""
