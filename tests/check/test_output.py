"""Output formats: text, JSON, SARIF 2.1.0 (validated against the schema), GitHub; and the
summary of which functions were checked."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from lastword._check._findings import Finding, Function, Result
from lastword._check._output import render, sarif_log
from lastword._check._rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())

FINDINGS = [
    Finding("src/main.py", 12, 4, "LW101", RULES["LW101"].format("asyncio.create_task(x())")),
    Finding("dir with space/ü.py", 3, 0, "LW302", RULES["LW302"].format("`f`, 100%,\nok")),
]
CHECKED = (
    Function("src/main.py", 10, "handler", "http", "declared"),
    Function("src/main.py", 20, "report", "http", "shaped"),
    Function("jobs/main.py", 3, "on_event", "cloudevent", "shaped"),
)
SKIPPED = (
    Function("src/main.py", 30, "handle", "http", "your code uses it at src/main.py:12"),
)
RESULT = Result(FINDINGS, CHECKED, SKIPPED, files=4)
CLEAN = Result([], CHECKED, (), files=4)
NOTHING = Result([], (), (), files=2)
HINT = Result(
    [Finding("main.py", 5, 4, "LW203", RULES["LW203"].format("after_this_request callback `x`"))],
    CHECKED[:1],
    files=1,
)


def test_text_is_like_ruff_and_counts_the_functions() -> None:
    lines = render("text", RESULT).splitlines()
    assert lines[0].startswith("src/main.py:12:5: LW101 asyncio task")
    assert lines[-2] == (
        "Not checked as a function the platform calls: src/main.py:30 handle (shaped like an "
        "HTTP function, but your code uses it at src/main.py:12)."
    )
    assert lines[-1] == (
        "Found 2 findings in 3 functions checked (src/main.py: handler, report; "
        "jobs/main.py: on_event)."
    )


def test_text_clean_says_how_many_functions() -> None:
    assert render("text", CLEAN) == (
        "All checks passed: 3 functions checked (src/main.py: handler, report; "
        "jobs/main.py: on_event).\n"
    )


def test_text_never_says_passed_when_nothing_was_checked() -> None:
    out = render("text", NOTHING)
    assert "passed" not in out
    assert out.startswith("No function was checked in 2 files: ")
    assert "--target" in out
    assert render("text", Result([], files=0)) == "No Python files found: nothing was checked.\n"
    syntax_only = Result([Finding("a.py", 1, 0, "LW001", RULES["LW001"].format("x"))], files=1)
    assert render("text", syntax_only).splitlines()[-1].startswith(
        "Found 1 finding. No function was checked in 1 file"
    )


def test_text_names_at_most_eight_functions() -> None:
    many = tuple(Function("main.py", n, f"f{n}", "http", "shaped") for n in range(1, 12))
    last = render("text", Result([], many, files=1)).splitlines()[-1]
    assert last.startswith("All checks passed: 11 functions checked (main.py: f1, f2,")
    assert last.endswith("f8; and 3 more).")


def test_json_is_still_a_list_of_findings() -> None:
    data = json.loads(render("json", RESULT))
    assert data[0]["code"] == "LW101"
    assert data[0]["name"] == "task-not-awaited"
    assert (data[0]["line"], data[0]["column"]) == (12, 5)
    assert data[0]["path"] == "src/main.py"
    assert json.loads(render("json", NOTHING)) == []


def test_sarif_is_valid_against_the_official_schema() -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    for result in (RESULT, CLEAN, NOTHING, HINT):
        log = json.loads(render("sarif", result, "file:///work/project/"))
        validator.validate(log)
        assert log["version"] == "2.1.0"
    run = sarif_log(RESULT)["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(RULES)
    result = run["results"][0]
    assert rule_ids[result["ruleIndex"]] == result["ruleId"] == "LW101"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 5}
    uri = run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri


def test_sarif_counts_the_functions_checked() -> None:
    run = sarif_log(RESULT)["runs"][0]
    assert run["properties"]["functionsChecked"] == 3
    assert run["properties"]["functions"][1] == {
        "path": "src/main.py",
        "line": 20,
        "name": "report",
        "signatureType": "http",
        "foundBy": "shaped",
    }
    assert run["properties"]["notChecked"][0]["name"] == "handle"
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    empty = sarif_log(NOTHING)["runs"][0]
    assert empty["properties"]["functionsChecked"] == 0
    (note,) = empty["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and "No function was checked" in note["message"]["text"]


def test_sarif_hint_rules_are_notes_and_off_by_default() -> None:
    run = sarif_log(HINT)["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "LW203")
    assert rule["defaultConfiguration"] == {"level": "note", "enabled": False}
    assert run["results"][0]["level"] == "note"
    other = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "LW101")
    assert other["defaultConfiguration"] == {"level": "error", "enabled": True}


def test_sarif_schema_rejects_broken_logs() -> None:
    log = sarif_log(RESULT)
    del log["runs"][0]["tool"]
    validator = jsonschema.Draft4Validator(SCHEMA)
    assert not validator.is_valid(log)


def test_github_annotations_escape() -> None:
    out = render("github", RESULT).splitlines()
    assert out[0].startswith("::error file=src/main.py,line=12,col=5,title=LW101 task-not-awaited::")
    assert "%0A" in out[1] and "100%25" in out[1]
    assert "file=dir with space/ü.py" in out[1]
    assert out[2].startswith("::notice title=lastword check::Not checked as a function")
    assert out[3] == (
        "::notice title=lastword check::Found 2 findings in 3 functions checked "
        "(src/main.py: handler, report; jobs/main.py: on_event)."
    )
    assert render("github", NOTHING).startswith("::warning title=lastword check::No function")
    assert render("github", HINT).startswith("::notice file=main.py,line=5,")
