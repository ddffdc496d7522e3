"""Output formats: text, JSON, SARIF 2.1.0 (validated against the schema), GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from lastword._check._findings import Finding
from lastword._check._output import render, sarif_log
from lastword._check._rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())

FINDINGS = [
    Finding("src/main.py", 12, 4, "LW101", RULES["LW101"].format("asyncio.create_task(x())")),
    Finding("dir with space/ü.py", 3, 0, "LW302", RULES["LW302"].format("`f`, 100%,\nok")),
]


def test_text_is_like_ruff() -> None:
    out = render("text", FINDINGS)
    first = out.splitlines()[0]
    assert first.startswith("src/main.py:12:5: LW101 asyncio task")
    assert out.splitlines()[-1] == "Found 2 findings."
    assert render("text", []) == "All checks passed!\n"


def test_json() -> None:
    data = json.loads(render("json", FINDINGS))
    assert data[0]["code"] == "LW101"
    assert data[0]["name"] == "task-not-awaited"
    assert (data[0]["line"], data[0]["column"]) == (12, 5)
    assert data[0]["path"] == "src/main.py"
    assert json.loads(render("json", [])) == []


def test_sarif_is_valid_against_the_official_schema() -> None:
    for findings in (FINDINGS, []):
        log = json.loads(render("sarif", findings, "file:///work/project/"))
        jsonschema.Draft4Validator(SCHEMA).validate(log)
        assert log["version"] == "2.1.0"
    run = sarif_log(FINDINGS)["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(RULES)
    result = run["results"][0]
    assert rule_ids[result["ruleIndex"]] == result["ruleId"] == "LW101"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 5}
    uri = run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri


def test_sarif_schema_rejects_broken_logs() -> None:
    log = sarif_log(FINDINGS)
    del log["runs"][0]["tool"]
    validator = jsonschema.Draft4Validator(SCHEMA)
    assert not validator.is_valid(log)


def test_github_annotations_escape() -> None:
    out = render("github", FINDINGS).splitlines()
    assert out[0].startswith("::error file=src/main.py,line=12,col=5,title=LW101 task-not-awaited::")
    assert len(out) == 2  # the newline in the message is escaped
    assert "%0A" in out[1] and "100%25" in out[1]
    assert "file=dir with space/ü.py" in out[1]
