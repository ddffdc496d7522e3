"""The dev view: a request line per invocation; JSON request entries with ``httpRequest``; every
report's ``sourceLocation`` the user's file:line; the default format for where output goes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from lastword._config import Config

APP = '''
import threading, time

def hello(request):
    return "hello"

def leaky(request):
    threading.Thread(target=time.sleep, args=(0.1,), name="upload").start()
    return "accepted"

def crash(request):
    raise ValueError("boom")

def nothing(request):
    request.get_data()
'''
LEAK_LINE, CRASH_LINE, NOTHING_LINE = 8, 12, 14


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "main.py"
    source.write_text(APP)
    return source


def _entries(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _request_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"(\x1b\[[0-9;]*m)*(GET|POST) ", line)]


def test_text_has_one_aligned_line_per_invocation(serve: Any, tmp_path: Path) -> None:
    served = serve(_source(tmp_path), "--target", "leaky", "--log-format", "text")
    served.get("/orders?id=3", headers={"Function-Execution-Id": "exec-aaa"})
    served.request("POST", "/", headers={"Function-Execution-Id": "exec-bbb"})
    served.wait_for_log("exec-bbb")
    lines = _request_lines(served.logs())
    assert len(lines) == 2, served.logs()
    first, second = lines
    assert re.fullmatch(
        r"GET    /orders\?id=3 {12}  200  +\d+\.\d ms  exec-aaa  1 left running: main\.py:8", first
    ), first
    assert second.startswith("POST   /    ") and "exec-bbb  1 left running: main.py:8" in second
    # aligned: the status column starts at the same place on every line
    assert first.index("200") == second.index("200")
    assert "\x1b[" not in served.logs(), "no colors when the output is not a terminal"


def test_colors_on_a_terminal(serve: Any, tmp_path: Path) -> None:
    served = serve(_source(tmp_path), "--target", "crash", "--log-format", "text", env={"FORCE_COLOR": "1"})
    served.get("/", headers={"Function-Execution-Id": "exec-red"})
    served.wait_for_log("raised an exception")  # the request line (the crash report comes first)
    (line,) = _request_lines(served.logs())
    assert "\x1b[31m\x1b[1m500\x1b[0m" in line  # a 5xx in bold red
    assert "\x1b[2mexec-red\x1b[0m" in line and "raised an exception" in line


def test_request_lines_can_be_turned_off(serve: Any, tmp_path: Path) -> None:
    served = serve(_source(tmp_path), "--target", "hello", "--log-format", "text", env={"LASTWORD_REQUEST_LOG": "off"})
    served.get("/")
    served.get("/")
    assert served.stop() == 0
    assert _request_lines(served.logs()) == []


def test_json_request_entry_has_http_request(serve: Any, tmp_path: Path) -> None:
    served = serve(_source(tmp_path), "--target", "hello", "--log-format", "json", "--request-log")
    served.get("/p?q=1", headers={"User-Agent": "tests/1.0", "Function-Execution-Id": "exec-json"})
    served.wait_for_log("exec-json")
    (entry,) = [e for e in _entries(served.logs()) if "httpRequest" in e]
    request = entry["httpRequest"]
    assert request["requestMethod"] == "GET"
    assert request["requestUrl"].endswith("/p?q=1") and request["requestUrl"].startswith("http://127.0.0.1:")
    assert request["status"] == 200
    assert re.fullmatch(r"\d+\.\d{6}s", request["latency"])
    assert request["userAgent"] == "tests/1.0"
    assert request["remoteIp"] == "127.0.0.1"
    assert request["responseSize"] == "5"
    assert entry["severity"] == "INFO" and entry["message"].startswith("GET /p?q=1 200 ")
    assert "logging.googleapis.com/sourceLocation" not in entry  # none of the user's: none


@pytest.mark.parametrize(
    "target, needle, line",
    [
        ("leaky", "was still running when invocation", LEAK_LINE),
        ("crash", "raised ValueError", CRASH_LINE),
        ("nothing", "returned without a response", NOTHING_LINE),
    ],
)
def test_json_reports_point_at_the_users_line(
    serve: Any, tmp_path: Path, target: str, needle: str, line: int
) -> None:
    source = _source(tmp_path)
    served = serve(source, "--target", target, "--log-format", "json")
    served.get("/")
    text = served.wait_for_log(needle)
    (report,) = [e for e in _entries(text) if needle in e["message"]]
    location = report["logging.googleapis.com/sourceLocation"]
    assert (location["file"], location["line"]) == (str(source), str(line))
    assert served.stop() == 0
    lastword_dir = str(Path(__import__("lastword").__file__).parent)
    for entry in _entries(served.logs()):  # none of lastword's lines is named as a source
        assert not entry.get("logging.googleapis.com/sourceLocation", {}).get("file", "").startswith(lastword_dir)


def test_default_format_is_text_when_piped_and_json_on_the_platform(serve: Any, tmp_path: Path) -> None:
    source = _source(tmp_path)
    piped = serve(source, "--target", "hello")  # the fixture's output is a file, as with `| tee`
    piped.get("/", headers={"Function-Execution-Id": "exec-pipe"})
    text = piped.wait_for_log("exec-pipe")
    assert _entries(text) == [] and len(_request_lines(text)) == 1

    platform = serve(source, "--target", "leaky", env={"K_SERVICE": "orders"})
    platform.get("/")
    text = platform.wait_for_log("was still running when invocation")
    entries = _entries(text)
    assert entries and _request_lines(text) == []
    assert not [e for e in entries if "httpRequest" in e], "the platform logs requests itself"


def test_config_defaults_from_the_environment() -> None:
    assert Config.build(env={}).effective_log_format == "text"
    assert Config.build(env={}).effective_request_log is True
    on_platform = Config.build(env={"K_SERVICE": "orders"})
    assert on_platform.effective_log_format == "json" and on_platform.effective_request_log is False
    assert Config.build(env={"K_SERVICE": "orders", "DEBUG": "1"}).effective_request_log is True
    assert Config.build(env={"K_SERVICE": "orders", "LASTWORD_LOG_FORMAT": "text"}).effective_log_format == "text"
    assert Config.build(env={"LASTWORD_REQUEST_LOG": "off"}).effective_request_log is False
