"""Check labels.json against the function files and print every labelled line.

    python tests/evaluation/show_labels.py

For each function: the file exists, the target is a top-level function of that file (``async``
as labelled, declared as labelled), and for a wrong function the labelled lines (where the
leftover work starts, the call path leading there, where its object is created) contain the
statement the label quotes. Prints the lines and a count per category; exits 1 on a mismatch.
It never imports the functions.
"""

from __future__ import annotations

import ast
import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {
    "asyncio task",
    "thread",
    "executor job",
    "loop callback",
    "child process",
    "unawaited coroutine",
    "close callback",
    "background task",
}
SIGNATURES = {"http", "cloudevent", "event"}


def _line(file: str, number: int) -> str:
    lines = (HERE / file).read_text().splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return "@" + ".".join(reversed(parts))


def check(entry: dict, problems: list[str]) -> list[str]:
    name, file = entry["name"], entry["file"]
    shown: list[str] = []
    path = HERE / file
    if not path.is_file():
        problems.append(f"{name}: {file} does not exist")
        return shown
    tree = ast.parse(path.read_text(), filename=str(path))
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    target = functions.get(entry["target"])
    if target is None:
        problems.append(f"{name}: no top-level function {entry['target']!r} in {file}")
        return shown
    if isinstance(target, ast.AsyncFunctionDef) != entry["async"]:
        problems.append(f"{name}: 'async' is {entry['async']} but the function says otherwise")
    decorators = [_decorator_name(d) for d in target.decorator_list]
    declared = entry["declared_with"]
    if declared == "--target" and decorators or declared != "--target" and declared not in decorators:
        problems.append(f"{name}: declared_with {declared!r} but decorators are {decorators}")
    if entry["signature_type"] not in SIGNATURES:
        problems.append(f"{name}: unknown signature_type {entry['signature_type']!r}")
    if not name.startswith(entry["label"] + "_"):
        problems.append(f"{name}: label {entry['label']!r} does not match the file name")
    if entry["label"] == "right":
        if "leftover" in entry:
            problems.append(f"{name}: a right function has a leftover")
        return shown
    leftover = entry.get("leftover")
    if leftover is None:
        problems.append(f"{name}: a wrong function needs a leftover")
        return shown
    if leftover["kind"] not in KINDS:
        problems.append(f"{name}: unknown kind {leftover['kind']!r}")
    places = [("starts", leftover)]
    places += [("via", step) for step in leftover.get("call_path", [])]
    if "created_at" in leftover:
        places.append(("created", leftover["created_at"]))
    for role, place in places:
        text = _line(place["file"], place["line"])
        if place["statement"] not in text:
            problems.append(
                f"{name}: {place['file']}:{place['line']} is {text.strip()!r}, "
                f"expected it to contain {place['statement']!r}"
            )
        shown.append(f"    {role:7} {place['file']}:{place['line']}: {text.strip()}")
    return shown


def main() -> int:
    labels = json.loads((HERE / "labels.json").read_text())
    problems: list[str] = []
    counts: collections.Counter[tuple[str, str, str]] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    for entry in labels["functions"]:
        shown = check(entry, problems)
        mode = "async" if entry["async"] else "sync"
        counts[(mode, entry["signature_type"], entry["label"])] += 1
        if entry["label"] == "wrong":
            kind = entry["leftover"]["kind"]
            kinds[kind] += 1
            print(f"{entry['name']}  [{mode} {entry['signature_type']}, {kind}]")
            print("\n".join(shown))
    print()
    print(f"{'':6} {'':11} {'right':>5} {'wrong':>5}")
    for mode in ("sync", "async"):
        for signature in ("http", "cloudevent", "event"):
            right, wrong = counts[(mode, signature, "right")], counts[(mode, signature, "wrong")]
            if right or wrong:
                print(f"{mode:6} {signature:11} {right:5} {wrong:5}")
    total_right = sum(v for k, v in counts.items() if k[2] == "right")
    total_wrong = sum(v for k, v in counts.items() if k[2] == "wrong")
    print(f"{'total':18} {total_right:5} {total_wrong:5}")
    print("wrong by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    on_disk = {p.stem for p in (HERE / "functions").glob("*.py")}
    labelled = {e["name"] for e in labels["functions"]}
    for missing in sorted(on_disk - labelled):
        problems.append(f"functions/{missing}.py has no label")
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
