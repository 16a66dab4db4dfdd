"""The Monday/Thursday snapshot report (øyeblikksbilde, case 4/24).

The UKP patients in hospital at a moment (flyt.engine.snapshot.take: the same
numbers as `flyt snapshot`), per municipality, at the hospital or utlokalisert,
the change since the previous snapshot (the Monday or Thursday before, same time
of day), the longest wait per municipality in days (no names, no ids), and the
after-care beds' occupancy.

Disclosure control in the shared edition (kpi.md) is flyt.disclosure.census: the line
of a municipality with 1–4 patients is hidden (":", as every hidden figure), and a second
one when that hides one line alone. `municipality` gives that municipality's edition:
its own line exact, and the others hidden as if its own line were shown (it knows it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flyt import i18n
from flyt.config import Settings
from flyt.disclosure.census import hidden_lines
from flyt.domain.months import previous_snapshot
from flyt.engine.snapshot import MunicipalityLine, Snapshot, take
from flyt.output import documents
from flyt.reports import RenderedReport
from flyt.store.db import Database


@dataclass(frozen=True)
class Line:
    """A municipality's line as this edition may show it: None where hidden."""

    code: str
    name: str
    region: str
    patients: int | None  # None where hidden
    at_hospital: int | None
    utlokalisert: int | None
    change: int | None  # since the previous snapshot
    longest_wait: int | None  # days
    hidden: bool
    own: bool


@dataclass
class SnapshotReport:
    now: Snapshot
    before: Snapshot
    edition: str | None
    threshold: int

    def hidden(self) -> set[str]:
        """Municipalities whose line is masked now (in a municipality's edition its own
        line is exact)."""
        return _hidden(self.now.municipalities, self.threshold, self.edition)

    def hidden_change(self) -> set[str]:
        """Masked now or before: a change would give the hidden count away."""
        return self.hidden() | _hidden(self.before.municipalities, self.threshold,
                                       self.edition)

    def lines(self) -> list[Line]:
        hidden, hidden_change = self.hidden(), self.hidden_change()
        before = {m.municipality: m for m in self.before.municipalities}
        out = []
        for m in self.now.municipalities:
            masked = m.municipality in hidden
            previous = before.get(m.municipality)
            change = m.patients - (previous.patients if previous else 0)
            out.append(Line(
                m.municipality, m.name, m.region,
                patients=None if masked else m.patients,
                at_hospital=None if masked else m.at_hospital,
                utlokalisert=None if masked else m.utlokalisert,
                change=None if m.municipality in hidden_change else change,
                longest_wait=None if masked else m.longest_wait,
                hidden=masked, own=m.municipality == self.edition))
        return out


def _hidden(lines: list[MunicipalityLine], threshold: int, exact: str | None) -> set[str]:
    return hidden_lines({m.municipality: m.patients for m in lines}, threshold, exact)


def build(db: Database, settings: Settings, at: datetime, municipality: str | None = None,
          shoot: Callable[[datetime], Snapshot] | None = None) -> SnapshotReport:
    """`shoot(at)` takes a snapshot (default `take` on `db`); the dashboard passes one
    that keeps them, so every edition of a moment shares one query."""
    shoot = shoot or (lambda moment: take(db, moment))
    now = shoot(at)
    if municipality is not None and municipality not in {
            m.municipality for m in now.municipalities}:
        raise ValueError(f"unknown municipality {municipality} (see flyt reference show "
                         "municipalities)")
    return SnapshotReport(now, shoot(previous_snapshot(at)), municipality,
                          settings.suppression_threshold)


def title(report: SnapshotReport, lang: str) -> str:
    return i18n.t("snapshot_title", lang).format(at=i18n.moment(report.now.at, lang))


def to_html(report: SnapshotReport, lang: str = "nb") -> str:
    heading = title(report, lang)
    now, before = report.now, report.before
    edition = (i18n.t("shared_edition", lang).format(threshold=report.threshold)
               if report.edition is None else i18n.t("own_line_edition", lang).format(
                   code=report.edition))
    return documents.html(
        "flyt.reports", "snapshot.html.j2",
        lang=lang, t=lambda key: i18n.t(key, lang), title=heading,
        footer=f"Flyt – {heading}", edition=edition,
        total=i18n.number(now.total, 0, lang), at_hospital=i18n.number(now.at_hospital, 0, lang),
        utlokalisert=i18n.number(now.utlokalisert, 0, lang),
        change=i18n.signed(now.total - before.total, 0, lang), before=i18n.moment(before.at, lang),
        lines=[{"line": x, "patients": _text(x.patients, lang),
                 "at_hospital": _text(x.at_hospital, lang),
                 "utlokalisert": _text(x.utlokalisert, lang),
                 "change": (i18n.HIDDEN_MARK if x.change is None
                            else i18n.signed(x.change, 0, lang)),
                 "longest_wait": _text(x.longest_wait, lang, hidden=x.hidden)}
               for x in report.lines()],
        legend=i18n.t("marks_legend", lang).format(below=report.threshold - 1),
        beds=[{"unit": o.unit,
               "counted": i18n.moment(o.counted_at, lang) if o.counted_at else i18n.NO_VALUE_MARK,
               "occupied": i18n.number(o.occupied, 0, lang),
               "available": i18n.number(o.available, 0, lang),
               "pct": i18n.percent(o.occupancy_pct, 1, lang),
               "over": o.over_capacity} for o in now.aftercare])


def to_xlsx(report: SnapshotReport, lang: str = "nb") -> bytes:
    from flyt.reports.workbook import Workbook

    t = lambda key: i18n.t(key, lang)  # noqa: E731
    book = Workbook()
    book.sheet(t("per_municipality"), title(report, lang),
               [t("municipality"), "", t("region"), t("patients"), t("at_hospital"),
                t("utlokalisert"), t("change"), t("longest_wait")],
               [[x.code, x.name, x.region, *(i18n.HIDDEN_MARK if v is None else v for v in (
                   x.patients, x.at_hospital, x.utlokalisert, x.change)),
                 i18n.HIDDEN_MARK if x.hidden else x.longest_wait] for x in report.lines()],
               [8, 18, 16, 10, 10, 12, 10, 14])
    book.sheet(t("aftercare"), title(report, lang),
               [t("unit"), t("counted_at"), t("occupied"), t("available"), "%"],
               [[o.unit, i18n.moment(o.counted_at, lang) if o.counted_at else None,
                 o.occupied, o.available, o.occupancy_pct] for o in report.now.aftercare],
               [24, 18, 10, 10, 8])
    return book.close()


def _text(value: int | None, lang: str, *, hidden: bool = True) -> str:
    """A count, or the hidden mark (a longest wait of nobody is empty, not hidden)."""
    if value is None:
        return i18n.HIDDEN_MARK if hidden else ""
    return i18n.number(value, 0, lang)


def render_for_mail(db: Database, settings: Settings, at: datetime,
                    lang: str = "nb") -> RenderedReport:
    report = build(db, settings, at)
    document = to_html(report, lang)
    return RenderedReport("snapshot", title(report, lang), document, documents.pdf(document),
                          f"flyt-{i18n.t('snapshot_file', lang)}-{at:%Y-%m-%d-%H%M}.pdf")
