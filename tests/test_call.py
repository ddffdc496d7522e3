"""``lastword call``: sample events and event files, in every mode, to a running function."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import APPS, run_lastword
from lastword._cli import main
from lastword._events import SAMPLE_KINDS, sample_event
from lastword.testing import Client


@pytest.fixture(scope="module")
def cloudevent(out: Path) -> Iterator[str]:
    """The URL of a served cloudevent function (a real server on a loopback port)."""
    with Client(str(APPS / "events.py"), target="ce_sync") as client:
        yield f"http://{client.host}:{client.port}"


@pytest.fixture(scope="module")
def legacy(out: Path) -> Iterator[str]:
    with Client(str(APPS / "events.py"), target="legacy_sync") as client:
        yield f"http://{client.host}:{client.port}"


def call(*args: str) -> Any:
    return CliRunner().invoke(main, ["call", *args])


def received(out: Path, target: str) -> Any:
    path = out / f"{target}.json"
    value = json.loads(path.read_text())
    path.unlink()
    return value


@pytest.mark.parametrize("mode", ["binary", "structured", "legacy"])
@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_every_sample_in_every_mode(cloudevent: str, out: Path, kind: str, mode: str) -> None:
    """The function receives the sample's CloudEvent, also when it went out as a legacy event."""
    result = call(cloudevent, "--kind", kind, "--mode", mode)
    assert result.exit_code == 0, result.output
    assert result.stdout == "HTTP 200 OK\ncontent-type: text/plain; charset=utf-8\n\nOK\n"
    assert result.stderr.startswith(f"lastword: sending CloudEvent {sample_event(kind)['type']} (id ")
    attributes = received(out, "ce_sync")["attributes"]
    assert attributes["type"] == sample_event(kind)["type"]
    assert attributes["source"] == sample_event(kind)["source"]


def test_pubsub_data_file_is_the_message(cloudevent: str, out: Path, tmp_path: Path) -> None:
    (tmp_path / "message.bin").write_bytes(b"\x00raw bytes\xff")
    result = call(cloudevent, "--kind", "pubsub", "--data-file", str(tmp_path / "message.bin"))
    assert result.exit_code == 0, result.output
    data = received(out, "ce_sync")["data"]
    assert base64.b64decode(data["message"]["data"]) == b"\x00raw bytes\xff"


def test_data_file_is_the_data(legacy: str, out: Path, tmp_path: Path) -> None:
    (tmp_path / "object.json").write_text(json.dumps({"bucket": "mine", "name": "a.txt", "kind": "storage#object"}))
    result = call(legacy, "--kind", "storage", "--mode", "legacy", "--data-file", str(tmp_path / "object.json"))
    assert result.exit_code == 0, result.output
    got = received(out, "legacy_sync")
    assert got["data"] == {"bucket": "mine", "name": "a.txt", "kind": "storage#object"}
    assert got["context"]["event_type"] == "google.storage.object.finalize"


@pytest.mark.parametrize("mode", ["binary", "structured", "legacy"])
def test_event_file_legacy(legacy: str, out: Path, tmp_path: Path, mode: str) -> None:
    """A legacy event file, sent as it is or converted to a CloudEvent first."""
    event = {
        "context": {
            "eventId": "77", "timestamp": "2020-09-29T11:32:00.000Z",
            "eventType": "providers/cloud.pubsub/eventTypes/topic.publish",
            "resource": "projects/p/topics/t",
        },
        "data": {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage", "data": "aGk="},
    }
    (tmp_path / "event.json").write_text(json.dumps(event))
    result = call(legacy, str(tmp_path / "event.json"), "--mode", mode)
    assert result.exit_code == 0, result.output
    got = received(out, "legacy_sync")
    assert got["context"]["event_id"] == "77"
    assert got["data"]["data"] == "aGk="


def test_event_file_cloudevent_with_headers(cloudevent: str, out: Path, tmp_path: Path) -> None:
    event = {"specversion": "1.0", "id": "x-1", "source": "//me", "type": "com.example.made",
             "data": {"n": 1}}
    (tmp_path / "event.json").write_text(json.dumps(event))
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    result = call(cloudevent, str(tmp_path / "event.json"), "-H", f"traceparent: {trace}")
    assert result.exit_code == 0, result.output
    attributes = received(out, "ce_sync")["attributes"]
    assert (attributes["id"], attributes["traceparent"]) == ("x-1", trace)


def test_show_request(cloudevent: str, out: Path) -> None:
    result = call(cloudevent, "--kind", "storage", "--show-request")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"POST {cloudevent}\ncontent-type: application/json\nce-specversion: 1.0\n")
    assert "ce-type: google.cloud.storage.object.v1.finalized" in result.stderr
    received(out, "ce_sync")


def test_non_2xx_answer_exits_1(out: Path) -> None:
    with Client(str(APPS / "events.py"), target="ce_crash", allow_leftovers=True) as client:
        result = call(f"http://{client.host}:{client.port}", "--kind", "pubsub")
    assert result.exit_code == 1
    assert result.stdout.startswith("HTTP 500 Internal Server Error\n")
    assert "x-google-status: crash" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "pubsub", "event.json"], "give either --kind KIND (a sample event) or an event file"),
        ([], "give either --kind KIND (a sample event) or an event file"),
        (["missing.json"], "cannot read event file missing.json: No such file or directory"),
        (["not-json.json"], "event file not-json.json is not JSON"),
        (["list.json"], "list.json holds a JSON list; an event file holds one event"),
        (["custom.json", "--mode", "legacy"], "this event cannot be sent in legacy mode: the "
         "CloudEvent type 'com.example.made' has no legacy equivalent; send it in binary or "
         "structured mode"),
        (["event.json", "--data-file", "x.json"], "--data-file goes with --kind"),
        (["--kind", "pubsub", "-H", "nocolon"], "--header 'nocolon': write it as 'Name: value'"),
    ],
)
def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "event.json").write_text("{}")
    (tmp_path / "not-json.json").write_text("{oops")
    (tmp_path / "list.json").write_text("[]")
    (tmp_path / "custom.json").write_text(
        json.dumps({"specversion": "1.0", "id": "1", "source": "//s", "type": "com.example.made"})
    )
    result = call("http://127.0.0.1:9", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_no_server_is_a_usage_error_with_a_hint() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = call(f"http://127.0.0.1:{port}", "--kind", "pubsub")
    assert result.exit_code == 2
    assert f"no answer from 127.0.0.1:{port}" in result.stderr
    assert "Is the function running (lastword serve ...)?" in result.stderr


def test_call_from_the_command_line(legacy: str, out: Path) -> None:
    """The installed command (a lazy subcommand) against a real server."""
    result = run_lastword("call", legacy, "--kind", "firestore", "--mode", "legacy")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP 200 OK\n")
    got = received(out, "legacy_sync")
    assert got["context"]["event_type"] == "providers/cloud.firestore/eventTypes/document.write"
