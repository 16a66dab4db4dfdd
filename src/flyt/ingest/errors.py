"""What can be wrong with an input file: a bad row or cell, or the whole file.

Every value and message here is safe to echo (flyt.ingest.echo): control
characters escaped, values cut to 60 characters. A message that the web shows in
the user's language also carries a `Text` (an i18n key and its arguments); its
English form is the plain `reason` / `message` the command line prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from flyt import i18n
from flyt.ingest.echo import escape, shown

MASKED = "***"  # shown instead of a value that must never be echoed (a national id)


@dataclass(frozen=True)
class Text:
    """Words for the user in either language: `flyt.i18n` key + arguments.

    Whole numbers are written the language's way (nb: 298 412, en: 298,412).
    """

    key: str
    args: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **args: object) -> Text:
        return cls(key, tuple(args.items()))

    def __call__(self, lang: str = "en") -> str:
        values = {name: self._word(v, lang) for name, v in self.args}
        return i18n.t(self.key, lang).format(**values)

    @staticmethod
    def _word(value: object, lang: str) -> object:
        """An argument made safe to show. Only the file's words are escaped, not the
        message around them nor Flyt's numbers: bokmål's thousands separator, a
        non-breaking space, is not "printable" to Python and must stay what it is."""
        if isinstance(value, Text):  # a part said in the same language, escaped already
            return value(lang)
        if isinstance(value, int) and not isinstance(value, bool):
            return i18n.number(value, 0, lang)
        return escape(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class RowError:
    """One bad row or cell. `row` is the row as the user sees it: header = 1, first data row = 2."""

    row: int
    column: str | None
    value: str | None
    reason: str
    text: Text | None = field(default=None, compare=False)  # the reason, for other languages
    order: int = field(default=-1, compare=False)  # a row's errors: reading first, then by check

    def __post_init__(self) -> None:
        # Whoever built it, what is echoed is safe: no terminal escapes, no bidi tricks.
        object.__setattr__(self, "value", shown(self.value))
        object.__setattr__(self, "column", None if self.column is None else escape(self.column))
        object.__setattr__(self, "reason", escape(self.reason))

    @classmethod
    def of(cls, row: int, column: str | None, value: str | None, text: Text) -> RowError:
        return cls(row, column, value, text("en"), text)

    def reason_in(self, lang: str) -> str:
        return self.text(lang) if self.text else self.reason

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        reason = self.reason_in(lang) if lang else self.reason
        return {"row": self.row, "column": self.column, "value": self.value, "reason": reason}


class InputError(Exception):
    """The whole file is unusable: unreadable, empty, not CSV/XLSX, wrong kind, missing
    column, or beyond a limit (flyt.ingest.limits)."""

    def __init__(self, message: str | Text, errors: list[RowError] | None = None) -> None:
        self.text = message if isinstance(message, Text) else None
        self.message = escape(message("en") if isinstance(message, Text) else message)
        super().__init__(self.message)
        self.errors: list[RowError] = list(errors or [])

    def message_in(self, lang: str) -> str:
        return self.text(lang) if self.text else self.message

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "errors": [e.to_dict() for e in self.errors]}


class ErrorTally:
    """A file's bad rows and cells: every one counted, the first `keep` (in row order)
    kept in detail, so that a file of millions of bad rows needs little memory.

        tally = ErrorTally(keep=10_000)
        tally.add(errors)                      # a few, all in detail
        tally.add(first, rows=every_row)       # the first in detail, the row of each one
        tally.errors, tally.count, tally.bad_rows
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.errors: list[RowError] = []  # the first `keep`, by row and RowError.order
        self.count = 0  # every error, kept or not
        self._rows: list[np.ndarray] = []  # the row of every error, to count bad rows

    def add(self, errors: Sequence[RowError], rows: np.ndarray | None = None) -> None:
        """`errors` in row order; `rows`: the row of each error of which `errors` are the
        first (default: just `errors`)."""
        if rows is None:
            rows = np.fromiter((e.row for e in errors), dtype=np.int32, count=len(errors))
        self.count += len(rows)
        if len(rows):
            self._rows.append(np.unique(np.asarray(rows, dtype=np.int32)))
        if errors and (len(self.errors) < self.keep or errors[0].row < self.errors[-1].row):
            self.errors = sorted([*self.errors, *errors[: self.keep]], key=_position)[: self.keep]

    def extend(self, other: ErrorTally) -> None:
        self.count += other.count
        self._rows += other._rows
        if other.errors:
            self.errors = sorted([*self.errors, *other.errors], key=_position)[: self.keep]

    @property
    def bad_rows(self) -> int:
        """How many rows have at least one error."""
        return int(np.unique(np.concatenate(self._rows)).size) if self._rows else 0

    def __bool__(self) -> bool:
        return self.count > 0


def _position(error: RowError) -> tuple[int, int]:
    return error.row, error.order
