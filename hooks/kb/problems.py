"""Located problems: every data error names ``path:line:col`` and all are reported together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Mark(NamedTuple):
    """A position in a data file; line and column count from 1.

    A named tuple rather than a dataclass: every node of every file gets one, and
    tuples are several times cheaper to create.
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    mark: Mark
    message: str

    def __str__(self) -> str:
        return f"{self.mark}: {self.message}"


@dataclass
class Problems:
    """Collects problems from every step of a run, so that one run reports them all."""

    items: list[Problem] = field(default_factory=list)

    def add(self, mark: Mark, message: str) -> None:
        self.items.append(Problem(mark, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """By file, then line and column; each distinct problem once."""
        return sorted(set(self.items))


def field_path(loc: tuple[str | int, ...]) -> str:
    """``('sanctions', 0, 'authority')`` -> ``sanctions[0].authority``."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


class DataError(Exception):
    """Raised when the data has problems; carries every one of them."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems.sorted()
        count = len(self.problems)
        super().__init__(f"{count} data error{'s' if count != 1 else ''}")
