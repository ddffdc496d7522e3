"""Which files to check: the thin I/O layer over the analysis core."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        ".tox", ".nox", ".venv", "venv", "node_modules", "site-packages", "build", "dist",
        ".eggs", "__pypackages__",
    }
)


def excluded(path: Path, patterns: Iterable[str]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pat) or fnmatch.fnmatch(path.name, pat) or f"/{pat}/" in f"/{text}/"
        for pat in patterns
    )


def discover(paths: Iterable[Path], exclude: Iterable[str] = ()) -> list[Path]:
    """Python files under the given paths; files named explicitly are always kept."""
    patterns = tuple(exclude)
    found: dict[Path, None] = {}
    for root in paths:
        if root.is_file():
            found[root] = None
            continue
        for folder, dirs, files in os.walk(root):
            base = Path(folder)
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in SKIP_DIRS
                and not d.startswith(".")
                and not (base / d / "pyvenv.cfg").exists()
                and not excluded(base / d, patterns)
            )
            for name in sorted(files):
                if name.endswith(".py") and not excluded(base / name, patterns):
                    found[base / name] = None
    return list(found)


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_sources(files: Iterable[Path], cwd: Path) -> dict[str, bytes]:
    """Sources by display path; an unreadable file gets text that fails to parse."""
    sources: dict[str, bytes] = {}
    for file in files:
        try:
            sources[display_path(file, cwd)] = file.read_bytes()
        except OSError as exc:
            sources[display_path(file, cwd)] = f"(unreadable: {exc.strerror})".encode()
    return sources
