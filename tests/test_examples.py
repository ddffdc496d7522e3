"""The examples do what their READMEs say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lastword.testing import Client, LeftoverWork

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_hello_example() -> None:
    with Client(str(EXAMPLES / "hello" / "main.py")) as client:
        assert client.get("/?name=ada").text == "Hello, ada!\n"


def test_terminate_ok() -> None:
    with Client(str(EXAMPLES / "terminate" / "main.py"), target="ok") as client:
        result = client.get("/")
    assert result.status == 200 and result.report is not None and result.report.clean


def test_terminate_wrong_returns_awaitable() -> None:
    with Client(str(EXAMPLES / "terminate" / "main.py"), target="wrong_returns_awaitable") as client:
        result = client.get("/")
    assert result.status == 500
    assert result.report is not None and result.report.outcome == "returned-awaitable"


def test_terminate_wrong_work_after_response() -> None:
    source = str(EXAMPLES / "terminate" / "main.py")
    with Client(source, target="wrong_work_after_response") as client:
        try:
            client.get("/")
        except LeftoverWork as exc:
            assert "main.py:35 in wrong_work_after_response" in str(exc)
            assert "asyncio task send_metrics('wrong_work_after_response')" in str(exc)
        else:
            raise AssertionError("the leftover task was not reported")
    with Client(
        source, target="wrong_work_after_response", background="error", allow_leftovers=True
    ) as client:
        result = client.get("/")
    assert result.status == 500 and result.report is not None
    assert result.report.outcome == "left-work"


def test_check_finds_both_wrong_terminate_functions() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lastword", "check", "--format", "json", str(EXAMPLES / "terminate")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "LW301" in result.stdout and "LW101" in result.stdout
    assert result.stdout.count('"code"') == 2, result.stdout


# --- one example per signature type -----------------------------------------------------------


def test_cloudevent_example_acknowledges_after_the_work() -> None:
    with Client(str(EXAMPLES / "cloudevent" / "main.py"), target="on_message") as client:
        result = client.cloud_event(sample="pubsub")
    assert (result.status, result.text) == (200, "OK")
    assert result.report is not None and result.report.clean


def test_cloudevent_example_in_background_is_reported_and_refused_under_error() -> None:
    source = str(EXAMPLES / "cloudevent" / "main.py")
    with Client(source, target="on_message_in_background") as client:
        try:
            client.cloud_event(sample="pubsub")
        except LeftoverWork as exc:
            assert "main.py:38 in on_message_in_background" in str(exc)
        else:
            raise AssertionError("the thread left running was not reported")
    with Client(
        source, target="on_message_in_background", background="error", allow_leftovers=True
    ) as client:
        result = client.cloud_event(sample="pubsub")
    assert result.status == 500 and result.report is not None
    assert result.report.outcome == "left-work"


def test_event_example_receives_legacy_events_and_converted_cloudevents(capsys: Any) -> None:
    with Client(str(EXAMPLES / "event" / "main.py"), target="on_upload") as client:
        legacy = client.event(sample="storage")
        converted = client.cloud_event(sample="storage")
        refused = client.post("/", json_body=[1, 2])
    assert (legacy.status, converted.status) == (200, 200)
    printed = capsys.readouterr().out
    assert printed.count("google.storage.object.finalize") == 2
    assert printed.count("gs://my-bucket/folder/hello.txt (19 bytes)") == 2
    assert (refused.status, refused.text) == (
        400,
        "Bad Request: the request body is a JSON array; a legacy event is a JSON object with "
        "data and context.",
    )


def test_typed_example() -> None:
    with Client(str(EXAMPLES / "typed" / "main.py"), target="checkout") as client:
        ok = client.post("/", json_body={"customer": "ada", "items": [{"sku": "tea", "quantity": 2}, {"sku": "scone"}]})
        bad = client.post("/", json_body={"customer": "ada", "items": [{"sku": "tea", "quantity": "two"}]})
        unknown = client.post("/", json_body={"customer": "ada", "items": [{"sku": "cake"}]})
        get = client.get("/")
    assert ok.status == 200
    assert ok.json() == {"customer": "ada", "total_cents": 975, "lines": ["2 x tea", "1 x scone"]}
    assert (bad.status, bad.text) == (
        400, "Bad Request: field 'items[0].quantity' must be an integer, not a string."
    )
    assert (unknown.status, unknown.json()) == (404, {"error": "no such product: cake"})
    assert get.status == 405 and get.headers["Allow"] == "POST"


def test_example_readmes_show_the_commands_that_run_them() -> None:
    for folder, commands in {
        "cloudevent": ["lastword serve examples/cloudevent/main.py --target on_message",
                       "lastword call http://127.0.0.1:8080 --kind pubsub"],
        "event": ["lastword serve examples/event/main.py --target on_upload",
                  "lastword call http://127.0.0.1:8080 --kind storage --mode legacy"],
        "typed": ["lastword serve examples/typed/main.py --target checkout"],
        "hello": ["lastword serve examples/hello/main.py"],
    }.items():
        readme = (EXAMPLES / folder / "README.md").read_text()
        for command in commands:
            assert command in readme, (folder, command)
