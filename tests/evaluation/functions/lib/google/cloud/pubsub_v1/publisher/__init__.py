from google.cloud.pubsub_v1.publisher.client import Client
from google.cloud.pubsub_v1.publisher.futures import Future

__all__ = ["Client", "Future"]
