"""Output formats: text (like ruff), JSON, SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ._findings import Finding, Function, Result
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


SHOWN_NAMES = 8
"""Functions named in the summary line; more are counted."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def function_names(functions: Sequence[Function], limit: int = SHOWN_NAMES) -> str:
    """``main.py: handler, report; jobs/main.py: run`` (and ``and N more``)."""
    groups: dict[str, list[str]] = {}
    for fn in functions[:limit]:
        groups.setdefault(fn.path, []).append(fn.name)
    text = "; ".join(f"{path}: {', '.join(names)}" for path, names in groups.items())
    if len(functions) > limit:
        text += f"; and {len(functions) - limit} more"
    return text


def nothing_checked(result: Result) -> str:
    """Why no function was checked, and what to do."""
    if not result.files:
        return "No Python files found: nothing was checked."
    return (
        f"No function was checked in {_plural(result.files, 'file')}: none is declared as a "
        "function the platform serves (@functions_framework.http, @lastword.http, "
        "@functions_framework.cloud_event, ...), and no main.py defines one shaped like it "
        "(def f(request), def f(cloud_event), def f(data, context)) that the code does not "
        "call itself. Name the function the platform calls with --target NAME."
    )


def summary(result: Result) -> str:
    """The last line of the text output: how many findings in how many functions."""
    checked = result.checked
    if not checked:
        found = result.findings
        if found:
            return f"Found {_plural(len(found), 'finding')}. " + nothing_checked(result)
        return nothing_checked(result)
    where = f"{_plural(len(checked), 'function')} checked ({function_names(checked)})"
    if result.findings:
        return f"Found {_plural(len(result.findings), 'finding')} in {where}."
    return f"All checks passed: {where}."


_SHAPES = {"http": "an HTTP", "cloudevent": "a CloudEvent", "event": "an event", "typed": "a typed"}


def not_checked_lines(result: Result) -> list[str]:
    return [
        f"Not checked as a function the platform calls: {fn.path}:{fn.line} {fn.name} "
        f"(shaped like {_SHAPES.get(fn.signature, 'a')} function, but {fn.why})."
        for fn in result.skipped
    ]


def format_text(result: Result) -> str:
    lines = [f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in result.findings]
    lines.extend(not_checked_lines(result))
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding]) -> str:
    """A list of findings (the list is the whole document: a count does not fit in it; the
    command says on stderr when nothing was checked)."""
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


def _level(code: str) -> str:
    return "note" if RULES[code].hint else "error"


def _function(fn: Function) -> dict[str, Any]:
    return {"path": fn.path, "line": fn.line, "name": fn.name, "signatureType": fn.signature}


def sarif_log(result: Result, root_uri: str | None = None) -> dict[str, Any]:
    codes = sorted(RULES)
    rules = [
        {
            "id": code,
            "name": "".join(p.capitalize() for p in RULES[code].name.split("-")),
            "shortDescription": {"text": RULES[code].summary},
            "fullDescription": {"text": RULES[code].format("...")},
            "help": {"text": f"See {rule_doc(code)} in the lastword repository."},
            "defaultConfiguration": {"level": _level(code), "enabled": RULES[code].default},
            "properties": {"tags": ["lastword", "cloud-run", "concurrency"]},
        }
        for code in codes
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": _level(f.code),
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
        for f in result.findings
    ]
    notifications = []
    if not result.checked:
        notifications.append({"level": "warning", "message": {"text": nothing_checked(result)}})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "semanticVersion": tool_version(),
                "rules": rules,
            }
        },
        "invocations": [
            {"executionSuccessful": True, "toolExecutionNotifications": notifications}
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "functionsChecked": len(result.checked),
            "functions": [{**_function(fn), "foundBy": fn.why} for fn in result.checked],
            "notChecked": [{**_function(fn), "reason": fn.why} for fn in result.skipped],
        },
    }
    if root_uri:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def format_sarif(result: Result, root_uri: str | None = None) -> str:
    return json.dumps(sarif_log(result, root_uri), indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: Result) -> str:
    lines = [
        f"::{'notice' if f.hint else 'error'} file={_escape_property(f.path)},line={f.line},"
        f"col={f.col + 1},title={_escape_property(f.code + ' ' + f.name)}::"
        f"{_escape_data(f.code + ' ' + f.message)}"
        for f in result.findings
    ]
    lines.extend(f"::notice title=lastword check::{_escape_data(t)}" for t in not_checked_lines(result))
    kind = "notice" if result.checked else "warning"
    lines.append(f"::{kind} title=lastword check::{_escape_data(summary(result))}")
    return "".join(line + "\n" for line in lines)


def render(fmt: str, result: Result, root_uri: str | None = None) -> str:
    if fmt == "json":
        return format_json(result.findings)
    if fmt == "sarif":
        return format_sarif(result, root_uri)
    if fmt == "github":
        return format_github(result)
    return format_text(result)
