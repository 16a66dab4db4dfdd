"""The reports ASU decided (case 4/24): the monthly KPI report and the Monday/Thursday
snapshot, as PDF, HTML and Excel.

Every number comes from the KPI engine's stored results (flyt.engine.read), the
same function `flyt kpi` prints from; a report only arranges and formats.

Its public surface for other areas: ``RenderedReport`` and ``render_for_mail`` (what
flyt.distribution mails), ``charts`` (the Altair charts every area's documents draw
with, e.g. the deviations' annual report) and ``workbook`` (the Excel editions' sheets,
e.g. the action plan's meeting report). The dashboard and the command line (the
shells) use the documents' modules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flyt.config import Settings
    from flyt.store.db import Database

__all__ = ["charts", "workbook"]  # modules other areas may import (tests/test_layout.py)

@dataclass(frozen=True)
class RenderedReport:
    """A report ready to send: what flyt.distribution mails."""

    kind: str  # monthly | snapshot | capacity
    title: str  # the mail's subject, e.g. "UKP-rapport mars 2024"
    html: str  # a complete HTML document: the mail's body
    pdf: bytes  # the attachment
    filename: str  # the attachment's file name, e.g. "flyt-maanedsrapport-2024-03.pdf"


def render_for_mail(db: Database, settings: Settings, kind: str, *, month: date | None = None,
                    at: datetime | None = None, lang: str = "nb") -> RenderedReport:
    """Render the report of ``kind`` ready to mail: ``monthly`` for ``month`` (its first
    day), ``snapshot`` and ``capacity`` (flyt.capacity's weekly report) at the moment
    ``at`` (Oslo wall-clock time), in ``lang``."""
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
    if kind == "capacity":
        if at is None:
            raise ValueError("the capacity report needs a moment")
        from flyt.capacity import report

        return report.render_for_mail(db, settings, at, lang)
    raise ValueError(f"'{kind}' is not a report that can be sent (monthly, snapshot or "
                     "capacity)")
