"""Output formats: text (like ruff), JSON, SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ._findings import Finding
from ._rules import RULES, rule_doc

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "lastword-check"


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("lastword")
    except Exception:
        return "0.0.0"


def format_text(findings: Sequence[Finding]) -> str:
    lines = [f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in findings]
    if findings:
        n = len(findings)
        lines.append(f"Found {n} finding{'s' if n != 1 else ''}.")
    else:
        lines.append("All checks passed!")
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding]) -> str:
    data = [
        {
            "code": f.code,
            "name": f.name,
            "message": f.message,
            "path": f.path,
            "line": f.line,
            "column": f.col + 1,
            "entry_points": list(f.entry_points),
            "docs": rule_doc(f.code),
        }
        for f in findings
    ]
    return json.dumps(data, indent=2) + "\n"


def sarif_log(findings: Sequence[Finding], root_uri: str | None = None) -> dict[str, Any]:
    codes = sorted(RULES)
    rules = [
        {
            "id": code,
            "name": "".join(p.capitalize() for p in RULES[code].name.split("-")),
            "shortDescription": {"text": RULES[code].summary},
            "fullDescription": {"text": RULES[code].format("...")},
            "help": {"text": f"See {rule_doc(code)} in the lastword repository."},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["lastword", "cloud-run", "concurrency"]},
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.col + 1},
                    }
                }
            ],
        }
        for f in findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "semanticVersion": tool_version(),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root_uri:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def format_sarif(findings: Sequence[Finding], root_uri: str | None = None) -> str:
    return json.dumps(sarif_log(findings, root_uri), indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding]) -> str:
    lines = [
        f"::error file={_escape_property(f.path)},line={f.line},col={f.col + 1},"
        f"title={_escape_property(f.code + ' ' + f.name)}::{_escape_data(f.code + ' ' + f.message)}"
        for f in findings
    ]
    return "".join(line + "\n" for line in lines)


def render(fmt: str, findings: Sequence[Finding], root_uri: str | None = None) -> str:
    if fmt == "json":
        return format_json(findings)
    if fmt == "sarif":
        return format_sarif(findings, root_uri)
    if fmt == "github":
        return format_github(findings)
    return format_text(findings)
