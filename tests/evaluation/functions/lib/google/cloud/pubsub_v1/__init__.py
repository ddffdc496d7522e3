"""Stand-in for google-cloud-pubsub's publisher (no network, no credentials).

Same import path, same call shapes and the same threading behaviour as the real library:
``PublisherClient.publish`` returns a ``concurrent.futures.Future`` at once; the first publish of
a batch starts a commit-timer thread that sleeps ``max_latency`` and then commits the batch in a
"Thread-CommitBatchPublisher" thread, which makes the (simulated) Publish RPC and only then
resolves the futures. A function that returns without waiting for its futures leaves that
thread running and the message unsent.
"""

from google.cloud.pubsub_v1 import types
from google.cloud.pubsub_v1.publisher.client import Client as PublisherClient

__all__ = ["PublisherClient", "types"]
