"""Stand-in for ``google.cloud.pubsub_v1.types`` (the settings the publisher uses)."""

from __future__ import annotations

from typing import NamedTuple


class BatchSettings(NamedTuple):
    """When a batch is committed: whichever limit is reached first (the real defaults)."""

    max_bytes: int = 1_000_000
    max_latency: float = 0.01
    max_messages: int = 100


class PubsubMessage(NamedTuple):
    data: bytes
    attributes: dict[str, str]
    ordering_key: str = ""
