"""What can be wrong with an input file: a bad row or cell, or the whole file.

Every value and message here is safe to echo (flyt.ingest.echo): control
characters escaped, values cut to 60 characters. A message that the web shows in
the user's language also carries a `Text` (an i18n key and its arguments); its
English form is the plain `reason` / `message` the command line prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
        values = {name: i18n.number(v, 0, lang) if isinstance(v, int) and not isinstance(v, bool)
                  else v for name, v in self.args}
        return escape(i18n.t(self.key, lang).format(**values))


@dataclass(frozen=True)
class RowError:
    """One bad row or cell. `row` is the row as the user sees it: header = 1, first data row = 2."""

    row: int
    column: str | None
    value: str | None
    reason: str
    text: Text | None = field(default=None, compare=False)  # the reason, for other languages

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
