"""Errors with Dutch messages that name the file, row and column of bad input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in the input: where it is and what is wrong (message in Dutch)."""

    message: str
    file: str | None = None
    row: int | None = None  # 1-based line number in the file as a user sees it (header = 1)
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message


class NabijError(Exception):
    """Base class of errors shown to the user; ``str()`` is Dutch."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)

    def __str__(self) -> str:
        lines = [self.args[0]]
        shown = self.problems[:25]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... en nog {len(self.problems) - len(shown)} problemen")
        return "\n".join(lines)


class InputError(NabijError):
    """Bad input files (schema, codes, encoding, referential integrity)."""


class StoreError(NabijError):
    """A saved Atlas store is missing, damaged or of an unknown format."""
