"""The flake8 plugin: ``LW`` codes in flake8 runs (entry point group ``flake8.extension``).

flake8 hands over one file at a time. The plugin also reads the other ``.py`` files
of the same directory, so that entry points and helpers in sibling modules are
followed; it only reports findings located in the file flake8 asked about.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from ._analyze import check_sources

__all__ = ["LastwordChecker"]

MAX_SIBLINGS = 200


def _imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    body = tree.body if isinstance(tree, ast.Module) else []
    for stmt in body:
        if isinstance(stmt, ast.Import):
            names.update(a.name.split(".")[0] for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.module:
                names.add(stmt.module.split(".")[0])
            if stmt.level:
                names.update(a.name for a in stmt.names)
    return names


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("lastword")
    except Exception:
        return "0.0.0"


class LastwordChecker:
    name: ClassVar[str] = "lastword"
    version: ClassVar[str] = _version()

    def __init__(self, tree: ast.AST, filename: str, lines: list[str] | None = None) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    def _sources(self) -> tuple[str, dict[str, str]]:
        me = os.path.basename(self.filename) or "stdin.py"
        text = "".join(self.lines) if self.lines is not None else ast.unparse(self.tree)
        sources: dict[str, str] = {me: text}
        folder = Path(self.filename).parent
        if self.filename in ("", "-", "stdin") or not folder.is_dir():
            return me, sources
        stem = me[:-3]
        imported = _imported_names(self.tree)
        mention = re.compile(rf"^\s*(from\s+\.*{re.escape(stem)}\b|import\s+.*\b{re.escape(stem)}\b)", re.M)
        for sibling in sorted(folder.glob("*.py"))[:MAX_SIBLINGS]:
            if sibling.name == me:
                continue
            try:
                text = sibling.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            # Siblings this module imports (helpers), and siblings importing it (entry points).
            if sibling.stem in imported or mention.search(text):
                sources[sibling.name] = text
        return me, sources

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        me, sources = self._sources()
        for finding in check_sources(sources):
            if finding.path != me or finding.code == "LW001":
                continue  # flake8 reports syntax errors itself (E999)
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
