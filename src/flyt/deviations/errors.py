"""The refusals of the deviations area. Each carries an i18n key and its values, so the
web, the API and the CLI show the same specific sentence in the user's language."""

from __future__ import annotations

from flyt.i18n import t


class DeviationError(ValueError):
    """A refused deviation or change; nothing was stored."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "nb") -> str:
        return t(self.key, lang).format(**self.values)


class InvalidDeviation(DeviationError):
    """A field of a new deviation is missing or wrong (HTTP 422)."""


class TransitionRefused(DeviationError):
    """The status change is not allowed, not this side's, or lacks its answer/reason
    (HTTP 422)."""


class StaleVersion(DeviationError):
    """The change was based on an older version of the deviation (HTTP 409)."""


class DeviationNotFound(DeviationError):
    """No such deviation (HTTP 404; also for one the user may not see)."""
