"""The plan's refusals. Each carries an i18n Text, so the command line and
(later) the pages say the same specific sentence in the user's language."""

from __future__ import annotations

from flyt.ingest.errors import Text


class PlanError(ValueError):
    """A refused change of the plan; nothing was stored. `text` says why in either
    language (an i18n key and its values)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(self.message("en"))

    def message(self, lang: str = "nb") -> str:
        return self.text(lang)


class StaleVersion(PlanError):
    """The change was based on an older version of the measure or activity (HTTP 409)."""


class ItemNotFound(PlanError):
    """No measure or activity with that id (HTTP 404)."""


class InvalidPlan(PlanError):
    """The change would make the plan wrong (flyt.plan.model.check)."""
