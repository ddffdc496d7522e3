"""The rule for event and typed functions: the response is the acknowledgement.

An event function that starts a thread or task and returns is reported (file:line); under
``--background error`` the event is answered 500, so the platform redelivers it instead of
losing it; ``wait_until`` holds the acknowledgement until the work is done; ``lastword.testing``
sends events and returns the report. And ``lastword check`` flags the same entry points the
runtime serves, for every decorator of the signature table.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from lastword._signatures import DECORATORS
from lastword.testing import Client, LeftoverWork, Result

from .conftest import lastword_warnings, line_of, wait_for_log

EVENTS = Path(__file__).resolve().parents[1] / "apps" / "events.py"
ORDER = {"customer": "ada", "items": [{"sku": "a"}]}


def _send(client: Client, target: str) -> Result:
    if target.startswith("ce_"):
        return client.cloud_event(sample="pubsub")
    if target.startswith("legacy_"):
        return client.event({"n": 1})
    return client.post("/", json_body=ORDER)


LEAVERS = [
    ("ce_leaves_thread", "thread", "threading.Thread("),
    ("ce_leaves_task", "asyncio task", "create_task("),
    ("legacy_leaves_thread", "thread", "threading.Thread("),
    ("typed_leaves_thread", "thread", "threading.Thread("),
]


@pytest.mark.parametrize(("target", "kind", "text"), LEAVERS)
def test_left_work_is_reported_with_its_line(
    lastword_client: Callable[..., Client], out: Path, target: str, kind: str, text: str
) -> None:
    client = lastword_client(str(EVENTS), target=target, allow_leftovers=True)
    result = _send(client, target)
    assert result.status == 200
    assert result.report is not None
    (leftover,) = result.report.leftovers
    assert leftover.kind == kind
    assert leftover.site == f"{EVENTS}:{line_of(EVENTS, target, text)}"


@pytest.mark.parametrize(("target", "kind", "text"), LEAVERS)
def test_under_background_error_the_event_is_not_acknowledged(
    lastword_client: Callable[..., Client], out: Path, target: str, kind: str, text: str
) -> None:
    """500, so that Pub/Sub or Eventarc redeliver the event instead of losing its work."""
    client = lastword_client(str(EVENTS), target=target, allow_leftovers=True, background="error")
    result = _send(client, target)
    assert result.status == 500
    assert result.report is not None and result.report.outcome == "left-work"
    assert result.text == (
        "Internal Server Error: the function left background work running after its response."
    )


@pytest.mark.parametrize(("target", "acknowledged"), [("legacy_leaves_thread", True), ("typed_leaves_thread", False)])
def test_report_says_an_event_was_acknowledged(
    lastword_client: Callable[..., Client], out: Path, caplog: pytest.LogCaptureFixture,
    target: str, acknowledged: bool,
) -> None:
    """The report of an event function's leftover says why it matters more: the 2xx acked it."""
    client = lastword_client(str(EVENTS), target=target, allow_leftovers=True)
    with caplog.at_level(logging.WARNING, logger="lastword"):
        result = _send(client, target)
        assert result.report is not None
        wait_for_log(caplog, f"of {target}() sent its response")
    (message,) = [m for m in lastword_warnings(caplog, result.report.id) if "sent its response" in m]
    said = (
        "For an event function the response is the acknowledgement: the event will not be "
        "delivered again, so this work may be lost for good."
    )
    assert (said in message) == acknowledged


def test_testing_client_raises_for_leftovers_of_an_event_function(
    lastword_client: Callable[..., Client], out: Path
) -> None:
    client = lastword_client(str(EVENTS), target="ce_leaves_thread")
    with pytest.raises(LeftoverWork, match=r"ce_leaves_thread\(\) left 1 piece\(s\) of work"):
        client.cloud_event({"type": "com.example.made", "source": "//tests", "data": {}})


@pytest.mark.parametrize("target", ["ce_wait_until", "legacy_wait_until"])
def test_wait_until_holds_the_acknowledgement(
    lastword_client: Callable[..., Client], out: Path, target: str
) -> None:
    client = lastword_client(str(EVENTS), target=target)
    result = _send(client, target)
    assert result.status == 200
    assert result.report is not None and result.report.clean
    assert json.loads((out / f"{target}.json").read_text()) == "flushed"  # done before the 200


# --- lastword check agrees with the runtime on event entry points --------------------------------

_BODY = {  # signature type -> (parameters, what it returns)
    "http": ("request", 'return "ok"'),
    "cloudevent": ("cloud_event", "return None"),
    "event": ("data, context", "return None"),
    "typed": ("payload: Payload", "return {}"),
}


def _source(decorator: str, signature_type: str) -> str:
    params, returned = _BODY[signature_type]
    is_async = decorator.startswith("functions_framework.aio.")
    module = decorator.rsplit(".", 1)[0]
    start = (
        "asyncio.get_running_loop().create_task(asyncio.sleep(0.3))"
        if is_async
        else "threading.Thread(target=time.sleep, args=(0.3,)).start()"
    )
    return textwrap.dedent(
        f"""\
        import asyncio
        import dataclasses
        import threading
        import time

        import {module}


        @dataclasses.dataclass
        class Payload:
            n: int

            @classmethod
            def from_dict(cls, value):  # functions_framework.typed asks for it
                return cls(**value)


        @{decorator}
        {"async " if is_async else ""}def entry({params}):
            {start}
            {returned}
        """
    )


_NOT_YET: dict[str, str] = {}


@pytest.mark.parametrize(
    "decorator",
    [
        pytest.param(d, marks=pytest.mark.xfail(reason=_NOT_YET[d], strict=True))
        if d in _NOT_YET
        else d
        for d in sorted(DECORATORS)
    ],
)
def test_check_and_runtime_agree(tmp_path: Path, decorator: str) -> None:
    """For every decorator in the signature table, a function that leaves work running is
    reported by the runtime when called and flagged by ``lastword check`` as an entry point."""
    signature_type = DECORATORS[decorator]
    (tmp_path / "main.py").write_text(_source(decorator, signature_type))
    with Client(str(tmp_path / "main.py"), target="entry", allow_leftovers=True) as client:
        if signature_type == "http":
            result = client.get("/")
        elif signature_type == "cloudevent":
            result = client.cloud_event(sample="storage")
        elif signature_type == "event":
            result = client.event({"n": 1})
        else:
            result = client.post("/", json_body={"n": 1})
    assert result.status == 200, result.text
    assert result.report is not None and len(result.report.leftovers) == 1
    checked = subprocess.run(
        [sys.executable, "-m", "lastword", "check", "--format", "json", str(tmp_path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    findings = json.loads(checked.stdout or "[]")
    assert [f["entry_points"] for f in findings] == [["entry"]], checked.stdout + checked.stderr

