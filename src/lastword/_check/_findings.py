"""The result type of the checker."""

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
