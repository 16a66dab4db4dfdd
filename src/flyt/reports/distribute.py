"""The one entry point distribution uses to get a report: kind → its renderer.

``flyt send`` and ``flyt schedule`` call ``build_report`` through this module (never a
copy of the function), so the tests can put a ready-made report in its place.
"""

from __future__ import annotations

from datetime import date, datetime

from flyt.config import Settings
from flyt.reports import RenderedReport
from flyt.store.db import Database


def build_report(db: Database, settings: Settings, kind: str, *, month: date | None = None,
                 at: datetime | None = None, lang: str = "nb") -> RenderedReport:
    """Render the report of ``kind`` ready to mail: ``monthly`` for ``month`` (its first
    day), ``snapshot`` at the moment ``at`` (Oslo wall-clock time), in ``lang``."""
    # Imported here: the renderers pull in charts and PDF layout, which sending does
    # not need until a report is built.
    if kind == "monthly":
        if month is None:
            raise ValueError("the monthly report needs a month")
        from flyt.reports import monthly

        return monthly.render_for_mail(db, settings, month, lang)
    if kind == "snapshot":
        if at is None:
            raise ValueError("the snapshot report needs a moment")
        from flyt.reports import snapshot

        return snapshot.render_for_mail(db, settings, at, lang)
    raise ValueError(f"'{kind}' is not a report that can be sent (monthly or snapshot)")
