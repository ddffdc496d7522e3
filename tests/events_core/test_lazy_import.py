"""The cloudevents SDK is imported only when a CloudEvent object is built: not by importing the
event core, not to serve a legacy event function."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import lastword._events as events
print("cloudevents" in sys.modules)
headers, body = events.sample_request("pubsub", "binary")
events.legacy_event_from_request(headers, body)
events.cloud_event_parts(headers, body)
print("cloudevents" in sys.modules)
event = events.cloud_event_from_request(headers, body)
print("cloudevents" in sys.modules, type(event).__module__ + "." + type(event).__qualname__)
"""


def test_sdk_only_when_a_cloudevent_is_built() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:3] == ["False", "False", "True cloudevents.http.event.CloudEvent"]
