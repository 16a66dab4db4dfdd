"""The plan's refusals. Each carries an i18n key and its values, so the command line and
(later) the pages say the same specific sentence in the user's language."""

from __future__ import annotations

from flyt.i18n import t


class PlanError(ValueError):
    """A refused change of the plan; nothing was stored."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "nb") -> str:
        return t(self.key, lang).format(**self.values)


class StaleVersion(PlanError):
    """The change was based on an older version of the measure or activity (HTTP 409)."""


class ItemNotFound(PlanError):
    """No measure or activity with that id (HTTP 404)."""


class InvalidPlan(PlanError):
    """The change would make the plan wrong (flyt.plan.model.check)."""
