"""The result types of the checker."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._rules import RULES


@dataclass(frozen=True, order=True)
class Finding:
    """One finding. ``line`` is 1-based, ``col`` is 0-based (in characters)."""

    path: str
    line: int
    col: int
    code: str
    message: str = field(compare=False)
    entry_points: tuple[str, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return RULES[self.code].name

    @property
    def hint(self) -> bool:
        return RULES[self.code].hint


@dataclass(frozen=True, order=True)
class Function:
    """A function the platform can serve, found in the checked files."""

    path: str
    line: int
    name: str
    signature: str
    why: str = field(compare=False)
    """How it was found: ``declared`` (decorator), ``target`` or ``shaped`` (its parameters);
    for one that was not checked, the reason."""

    def describe(self) -> str:
        return f"{self.path}:{self.line} {self.name}"


@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    checked: tuple[Function, ...] = ()
    """The functions checked as entry points."""
    skipped: tuple[Function, ...] = ()
    """Functions shaped like entry points that were not checked as such, with why."""
    files: int = 0
