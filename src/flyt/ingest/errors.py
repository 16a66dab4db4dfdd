"""What can be wrong with an input file: a bad row or cell, or the whole file."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MASKED = "***"  # shown instead of a value that must never be echoed (a national id)


@dataclass(frozen=True)
class RowError:
    """One bad row or cell. `row` is the row as the user sees it: header = 1, first data row = 2."""

    row: int
    column: str | None
    value: str | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class InputError(Exception):
    """The whole file is unusable: unreadable, empty, not CSV/XLSX, wrong kind, missing column."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: list[RowError] = list(errors or [])

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "errors": [e.to_dict() for e in self.errors]}
