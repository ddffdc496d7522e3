"""The checker's core: source text in, findings out. No file system access."""

from __future__ import annotations

import ast
import gc
from collections.abc import Callable, Mapping

from ._engine import Engine
from ._entrypoints import Discovery, References, find_entrypoints
from ._findings import Finding, Function, Result
from ._noqa import suppressed
from ._project import FunctionRef, ModuleInfo, Project, build_module
from ._rules import DEFAULT_RULES, RULES
from ._work import Report

Source = str | bytes
WAITED = frozenset({"LW101", "LW102", "LW103", "LW104", "LW105"})


def decode(source: Source) -> str:
    if isinstance(source, str):
        return source
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError:
        return source.decode("latin-1")


def parse(path: str, source: Source) -> ModuleInfo | Finding:
    """A parsed module, or the LW001 finding for a file that does not parse."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        detail = f"{exc.msg} at line {line}"
        return Finding(path, line, col, "LW001", RULES["LW001"].format(detail))
    except (ValueError, UnicodeDecodeError) as exc:
        return Finding(path, 1, 0, "LW001", RULES["LW001"].format(str(exc)))
    return build_module(path, tree)


def check_sources(
    sources: Mapping[str, Source],
    *,
    target: str | None = None,
    enabled: Callable[[str], bool] | None = None,
    all_functions: bool = False,
) -> list[Finding]:
    """Check a set of modules that import each other; return sorted findings.

    ``sources`` maps a path (used for display and to derive module names) to the
    module's source. ``enabled`` chooses the rules (default: every rule that is on by
    default). ``all_functions`` analyses every function as if reachable (used by the
    benchmark to exercise the analysis on any code).
    """
    return check_project(
        sources, target=target, enabled=enabled, all_functions=all_functions
    ).findings


def check_project(
    sources: Mapping[str, Source],
    *,
    target: str | None = None,
    enabled: Callable[[str], bool] | None = None,
    all_functions: bool = False,
) -> Result:
    """Like ``check_sources``, and which functions were checked and which were not."""
    # Syntax trees hold no reference cycles. While thousands of them are alive the
    # cyclic garbage collector would only re-scan them over and over, so it is paused
    # until they are freed (by reference counting, when _check returns).
    collecting = gc.isenabled()
    gc.disable()
    try:
        findings, discovery = _check(sources, target, all_functions)
    finally:
        if collecting:
            gc.enable()
    chosen = enabled if enabled is not None else DEFAULT_RULES.__contains__
    findings = sorted({f for f in findings if chosen(f.code)})
    checked = sorted(
        Function(e.ref.module.path, e.ref.node.lineno, e.name, e.signature, e.why)
        for e in discovery.entries
    )
    skipped = sorted(
        Function(s.ref.module.path, s.ref.node.lineno, s.ref.node.name, s.signature, s.reason)
        for s in discovery.skipped
    )
    return Result(findings, tuple(checked), tuple(skipped), len(sources))


def _check(
    sources: Mapping[str, Source], target: str | None, all_functions: bool
) -> tuple[list[Finding], Discovery]:
    modules: list[ModuleInfo] = []
    findings: list[Finding] = []
    for path, source in sources.items():
        parsed = parse(path, source)
        if isinstance(parsed, Finding):
            findings.append(parsed)
        else:
            modules.append(parsed)
    project = Project(modules)
    engine = Engine(project)
    discovery = find_entrypoints(project, target, References(sources, project))
    entries = discovery.entries
    for entry in entries:
        if not entry.waits:
            engine.run_entry(entry)
    if all_functions:
        for ref in all_function_refs(modules):
            engine.summary(ref)
    reports = engine.reports
    waiting = [entry for entry in entries if entry.waits]
    if waiting:
        # lastword waits for leftover tasks, threads, futures, callbacks and processes
        # of these functions before responding; what it cannot wait for is still reported.
        engine = Engine(project)
        for entry in waiting:
            engine.run_entry(entry)
        reports = reports + [r for r in engine.reports if r.code not in WAITED]
    findings.extend(to_findings(reports, sources))
    return findings, discovery


def all_function_refs(modules: list[ModuleInfo]) -> list[FunctionRef]:
    refs: list[FunctionRef] = []
    for module in modules:
        for node in module.functions.values():
            refs.append(FunctionRef(module, node))
        for cls in module.classes.values():
            for meth in module.methods(cls).values():
                refs.append(FunctionRef(module, meth, cls))
    return refs


def to_findings(reports: list[Report], sources: Mapping[str, Source]) -> list[Finding]:
    lines_of: dict[str, list[str]] = {}
    out: dict[tuple[str, int, int, str], Finding] = {}
    for report in reports:
        path = report.module.path
        if path not in lines_of:
            lines_of[path] = decode(sources[path]).splitlines()
        lines = lines_of[path]
        line = getattr(report.node, "lineno", 1)
        col = getattr(report.node, "col_offset", 0)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if not text.isascii():
            col = len(text.encode("utf-8")[:col].decode("utf-8", "replace"))
        if suppressed(text, report.code):
            continue
        key = (path, line, col, report.code)
        if key in out:
            continue
        message = RULES[report.code].format(report.what, report.detail, report.fix)
        entries = (report.entry,) if report.entry else ()
        out[key] = Finding(path, line, col, report.code, message, entries)
    return list(out.values())
