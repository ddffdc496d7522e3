"""``[tool.lastword.check]`` in pyproject.toml, and rule selection."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._rules import RULES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        tomllib = None  # type: ignore[assignment,unused-ignore]


class ConfigError(Exception):
    """A configuration or selection problem: a usage error (exit 2)."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    target: str | None = None
    exclude: tuple[str, ...] = field(default=())
    path: Path | None = None

    def enabled(self, code: str) -> bool:
        return is_enabled(code, self.select, self.ignore)


def is_enabled(code: str, select: tuple[str, ...] | None, ignore: tuple[str, ...]) -> bool:
    """Selected (every default rule when nothing is selected; an opt-in hint only by its own
    code or ``ALL``) and not ignored."""
    if select is None:
        if not RULES[code].default:
            return False
    elif RULES[code].default:
        if not any(s == "ALL" or code.startswith(s) for s in select):
            return False
    elif not any(s in ("ALL", code) for s in select):
        return False
    return not any(i == "ALL" or code.startswith(i) for i in ignore)


def parse_codes(values: str | list[Any] | tuple[Any, ...], where: str) -> tuple[str, ...]:
    """``"LW101,LW2"`` or ``["LW101", "LW2"]`` -> validated code prefixes."""
    items: list[str] = []
    raw = values.split(",") if isinstance(values, str) else list(values)
    for value in raw:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected rule codes as strings, got {value!r}")
        code = value.strip().upper()
        if not code:
            continue
        if code != "ALL" and not any(known.startswith(code) for known in RULES):
            raise ConfigError(
                f"{where}: unknown rule code {value.strip()!r} "
                f"(known: {', '.join(sorted(RULES))})"
            )
        items.append(code)
    return tuple(items)


def from_table(table: dict[str, Any], path: Path | None) -> Config:
    known = {"select", "ignore", "target", "exclude"}
    unknown = sorted(set(table) - known)
    where = f"{path or 'pyproject.toml'} [tool.lastword.check]"
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    select = parse_codes(table["select"], f"{where} select") if "select" in table else None
    ignore = parse_codes(table.get("ignore", []), f"{where} ignore")
    target = table.get("target")
    if target is not None and not isinstance(target, str):
        raise ConfigError(f"{where}: target must be a string")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise ConfigError(f"{where}: exclude must be a list of glob patterns")
    return Config(select, ignore, target, tuple(exclude), path)


def load_pyproject(path: Path) -> Config:
    if tomllib is None:  # pragma: no cover - Python 3.10 without tomli
        raise ConfigError("reading pyproject.toml needs the 'tomli' package on Python 3.10")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    table = data.get("tool", {}).get("lastword", {}).get("check", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.lastword.check] must be a table")
    return from_table(table, path)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.lastword] table, from start upwards."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "tool.lastword" in text:
                return candidate
    return None
