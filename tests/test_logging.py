"""Logs reach stdout/stderr as they happen, tagged with the invocation's execution id."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import APPS


def _json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.parametrize("app", ["http_basic.py", "http_async.py"])
def test_execution_id_on_every_line_and_response(serve: Any, app: str) -> None:
    served = serve(APPS / app, "--target", "logs", "--log-format", "json", env={"LOG_EXECUTION_ID": "true"})
    response = served.get("/", headers={"Function-Execution-Id": "exec-123", "X-Cloud-Trace-Context": "abcdef0123/77;o=1"})
    assert response.status_code == 200
    assert response.headers["function-execution-id"] == "exec-123"
    expected = {"printed line", "logged line", "thread line"} if app == "http_basic.py" else {"async printed", "task line"}
    served.wait_for_log(sorted(expected)[-1])
    entries = {e["message"]: e for e in _json_lines(served.logs()) if e["message"] in expected}
    assert set(entries) == expected, served.logs()
    for entry in entries.values():
        assert entry["logging.googleapis.com/labels"] == {"execution_id": "exec-123"}
        assert entry["logging.googleapis.com/trace"].endswith("abcdef0123")
        assert entry["logging.googleapis.com/spanId"] == "77"
        assert entry["severity"] in {"INFO", "WARNING"}


def test_generated_execution_id(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "logs", "--log-format", "text", env={"LOG_EXECUTION_ID": "1"})
    first = served.get("/").headers["function-execution-id"]
    second = served.get("/").headers["function-execution-id"]
    assert first and second and first != second
    log = served.wait_for_log(f"[{second}] printed line")
    assert f"[{first}] printed line" in log
    assert f"[{first}] WARNING user: thread line" in log


def test_no_execution_id_header_unless_enabled(serve: Any) -> None:
    served = serve(APPS / "http_basic.py", "--target", "hello")
    assert "function-execution-id" not in served.get("/").headers


def test_prints_arrive_while_serving(serve: Any) -> None:
    """Output is line-buffered: a print is in the log before the process ends."""
    served = serve(APPS / "http_basic.py", "--target", "logs", "--log-format", "text")
    served.get("/")
    served.wait_for_log("printed line", timeout=5)
    assert served.process.poll() is None


def test_platform_names_on_every_json_entry(serve: Any) -> None:
    """K_SERVICE, K_REVISION and K_CONFIGURATION, when the platform sets them, label each entry."""
    platform = {"K_SERVICE": "orders", "K_REVISION": "orders-00042-abc", "K_CONFIGURATION": "orders"}
    served = serve(APPS / "http_basic.py", "--target", "logs", "--log-format", "json",
                   env={**platform, "LOG_EXECUTION_ID": "true"})
    served.get("/", headers={"Function-Execution-Id": "exec-k"})
    served.wait_for_log("thread line")
    entries = [e for e in _json_lines(served.logs()) if e["message"] in {"logged line", "thread line"}]
    assert entries
    for entry in entries:
        assert entry["logging.googleapis.com/labels"] == {
            "service": "orders", "revision": "orders-00042-abc", "configuration": "orders",
            "execution_id": "exec-k",
        }
