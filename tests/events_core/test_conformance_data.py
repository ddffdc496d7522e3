"""Every input of the official conformance data, in all four directions, gives exactly what a
function must receive: the event the function would write is judged the way the conformance
client judges it, and more strictly (``subject`` and ``time`` too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lastword._events import cloud_event_from_request, legacy_event_from_request

from . import conformance as c

NAMES = c.case_names()

PUBSUB_PUSH_ONLY = ("subscription",)
"""A Pub/Sub CloudEvent's data keeps the subscription the push carried (as functions-framework
does); the expected outputs, shared with the conversion from legacy events (which have no
subscription), leave it out."""


def _extra_keys(name: str) -> tuple[str, ...]:
    event = c.load(name, "cloudevent-input")
    return PUBSUB_PUSH_ONLY if event["type"].startswith("google.cloud.pubsub.") else ()


@pytest.mark.parametrize("mode", ["binary", "structured"])
@pytest.mark.parametrize("name", NAMES)
def test_cloudevent_to_cloudevent_function(name: str, mode: str) -> None:
    """A CloudEvent reaches a cloudevent function as it was sent."""
    event = c.load(name, "cloudevent-input")
    headers, body = c.binary_request(event) if mode == "binary" else c.structured_request(name)
    received = cloud_event_from_request(headers, body)
    written = c.written_cloud_event(received)
    want = c.expected(name, "cloudevent", converted=False)
    assert c.cloud_event_mismatches(written, want, extra_data_keys=_extra_keys(name)) == []
    assert received.data == event["data"]
    assert dict(received.get_attributes()) == {k: v for k, v in event.items() if k != "data"}


@pytest.mark.parametrize("name", NAMES)
def test_legacy_to_cloudevent_function(name: str) -> None:
    """A legacy event reaches a cloudevent function converted."""
    headers, body = c.legacy_request(name)
    written = c.written_cloud_event(cloud_event_from_request(headers, body))
    assert c.cloud_event_mismatches(written, c.expected(name, "cloudevent", converted=True)) == []


@pytest.mark.parametrize("name", NAMES)
def test_legacy_to_event_function(name: str) -> None:
    """A legacy event reaches an event function as it was sent."""
    headers, body = c.legacy_request(name)
    written = c.written_legacy_event(*legacy_event_from_request(headers, body))
    assert c.legacy_event_mismatches(written, c.expected(name, "legacy", converted=False)) == []


@pytest.mark.parametrize("mode", ["binary", "structured"])
@pytest.mark.parametrize("name", NAMES)
def test_cloudevent_to_event_function(name: str, mode: str) -> None:
    """A CloudEvent reaches an event function converted, from either content mode."""
    event = c.load(name, "cloudevent-input")
    headers, body = c.binary_request(event) if mode == "binary" else c.structured_request(name)
    written = c.written_legacy_event(*legacy_event_from_request(headers, body))
    assert c.legacy_event_mismatches(written, c.expected(name, "legacy", converted=True)) == []


def test_the_data_set_is_whole() -> None:
    """Each event has its four files and nothing else lies in the directory: a renamed or new
    file cannot silently drop a case."""
    directory = c.require_data()
    suffixes = ("cloudevent-input", "cloudevent-output", "legacy-input", "legacy-output")
    optional = ("cloudevent-output-converted", "legacy-output-converted")
    expected_files = {f"{n}-{s}.json" for n in NAMES for s in suffixes}
    present = {p.name for p in directory.glob("*.json")}
    assert expected_files <= present
    assert present - expected_files <= {f"{n}-{s}.json" for n in NAMES for s in optional}
    assert len(NAMES) >= 17


def test_the_comparison_can_fail() -> None:
    """The judge itself: a wrong source, a missing data member, a wrong resource are caught."""
    name = "storage" if "storage" in NAMES else NAMES[0]
    want = c.expected(name, "cloudevent", converted=False)
    wrong = dict(want, source="//storage.googleapis.com/projects/_/buckets/other")
    assert c.cloud_event_mismatches(json.dumps(wrong), want)
    assert c.cloud_event_mismatches(json.dumps(dict(want, data={})), want)
    assert c.cloud_event_mismatches(json.dumps(dict(want, subject="objects/x")), want)
    legacy = c.expected(name, "legacy", converted=False)
    moved = json.dumps({"data": legacy["data"], "context": dict(legacy["context"], resource="x")})
    assert c.legacy_event_mismatches(moved, legacy)
    snake = {
        "data": legacy["data"],
        "context": {
            "event_id": legacy["context"]["eventId"],
            "event_type": legacy["context"]["eventType"],
            "timestamp": legacy["context"]["timestamp"],
            "resource": legacy["context"]["resource"],
        },
    }
    assert c.legacy_event_mismatches(json.dumps(snake), legacy) == []


def test_missing_data_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(c, "_CANDIDATES", (tmp_path / "absent",))
    assert c.case_names() == ["<no conformance data>"]
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="the conformance data is not at"):
        c.require_data()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        c.require_data()
