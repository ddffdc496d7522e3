"""Loading the corpus: cases, their sources and the findings they expect."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>LW\d{3}(?:\s*,\s*LW\d{3})*)")

Key = tuple[str, int, str]  # (path inside the case, line, code)


@dataclass(frozen=True)
class Case:
    name: str
    root: Path

    @property
    def wrong(self) -> bool:
        return self.name.startswith("wrong_")

    def files(self) -> list[Path]:
        if self.root.is_file():
            return [self.root]
        return sorted(self.root.rglob("*.py"))

    def sources(self) -> dict[str, str]:
        base = self.root.parent if self.root.is_file() else self.root
        return {f.relative_to(base).as_posix(): f.read_text() for f in self.files()}

    def expected(self) -> set[Key]:
        out: set[Key] = set()
        for path, text in self.sources().items():
            for number, line in enumerate(text.splitlines(), start=1):
                match = _EXPECT.search(line)
                if match:
                    for code in re.split(r"\s*,\s*", match.group("codes")):
                        out.add((path, number, code))
        return out


def cases() -> list[Case]:
    return [
        Case(p.name.removesuffix(".py"), p)
        for p in sorted(CORPUS.iterdir())
        if p.name.startswith(("wrong_", "right_")) and (p.is_dir() or p.suffix == ".py")
    ]
