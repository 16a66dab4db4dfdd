"""The annual (or tertial) report of deviations as HTML and PDF (docs/deviations.md,
"The annual report"), for the improvement group and ASU.

Every count shown is a row of ``report.rows`` (counted in the database); this module
only arranges, labels and formats them. Derived figures are the share of the period's
total and the change against the previous period of the same length, itself read with
``report.rows``. A value with no row shows as 0 where the table lists every value of a
scale (months, weekdays, hours, or a code the other period had).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import altair as alt

from flyt import i18n
from flyt.deviations import report
from flyt.deviations.report import Period
from flyt.domain import clock
from flyt.output import documents
from flyt.reports import charts
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations

Counts = dict[str, dict[str, int]]  # dimension -> value -> count
# The sections listed as tables of codes, with a share of the total where the counts
# add up to it (a deviation with two receivers counts twice under receiver_org).
CODE_SECTIONS = ("category", "severity", "level", "direction", "reporter_org",
                 "receiver_org", "status")
WITH_SHARE = frozenset({"category", "severity", "level"})
SEVERAL_PER_DEVIATION = frozenset({"direction", "receiver_org"})
_LABEL_PREFIX = {"category": "devann_cat_", "severity": "devann_sev_",
                 "level": "devann_level_", "status": "devann_status_"}
# What a reader must know to read a section's counts right.
NOTES = {**dict.fromkeys(WITH_SHARE, "devann_share_note"),
         **dict.fromkeys(SEVERAL_PER_DEVIATION, "devann_many_note"),
         "hour": "devann_hour_note", "status": "devann_rejected_note"}
BAR_COLOUR = "#1f5fa8"


@dataclass(frozen=True)
class Line:
    """One value of a dimension: its code, label and counts as shown."""

    value: str
    label: str
    count: int
    shown: str
    share: str | None
    previous: str | None


@dataclass(frozen=True)
class Section:
    dimension: str
    title: str
    lines: list[Line]
    chart: str | None
    note: str | None
    across: bool  # laid out as a row of columns (months, weekdays, hours)


def counted(table: Sequence[dict[str, object]]) -> Counts:
    """The long table as dimension -> value -> count."""
    found: Counts = {}
    for row in table:
        found.setdefault(str(row["dimension"]), {})[str(row["value"])] = int(
            row["count"])  # type: ignore[call-overload]
    return found


def previous_period(period: Period) -> Period | None:
    """The period of the same length just before (the year before; T3 of the year
    before for T1), None before the first year the report knows."""
    if period.tertial in (None, 1) and period.year == report.FIRST_YEAR:
        return None
    if period.tertial is None:
        return Period(period.year - 1)
    if period.tertial == 1:
        return Period(period.year - 1, 3)
    return Period(period.year, period.tertial - 1)


def title(period: Period, lang: str) -> str:
    if period.tertial is None:
        return i18n.t("devann_title_year", lang).format(year=period.year)
    return i18n.t("devann_title_tertial", lang).format(tertial=period.tertial,
                                                         year=period.year)


def label(dimension: str, value: str, lang: str) -> str:
    """A code as the reader knows it; a code Flyt has no words for (a category
    configured later) as itself."""
    if dimension in _LABEL_PREFIX:
        key = _LABEL_PREFIX[dimension] + value
        return i18n.t(key, lang) if i18n.known(key) else value
    if dimension in ("reporter_org", "receiver_org"):
        return _org_names().get(value, value)
    if dimension == "direction":
        shown = " → ".join(_kind(kind, lang) for kind in value.split("->"))
        return shown[:1].upper() + shown[1:]
    if dimension == "month":  # abbreviated: twelve full names do not fit a row
        return str(i18n.locale(lang).months["stand-alone"]["abbreviated"][int(value[5:])])
    if dimension == "weekday":
        return str(i18n.locale(lang).days["stand-alone"]["abbreviated"][int(value) - 1])
    return value


def _kind(kind: str, lang: str) -> str:
    known = i18n.known(f"devann_kind_{kind}")
    return i18n.t(f"devann_kind_{kind}", lang) if known else kind


def _org_names() -> dict[str, str]:
    return {o.org_id: o.name for o in packaged_organisations()}


def scale(dimension: str, period: Period) -> list[str]:
    """Every value of a numbered dimension in the period (shown even with no row)."""
    if dimension == "month":
        return [f"{period.year}-{m:02d}" for m in range(period.start.month,
                                                        (period.end - timedelta(1)).month + 1)]
    if dimension == "weekday":
        return [str(d) for d in range(1, 8)]
    return [str(h) for h in range(24)]


def lines(dimension: str, values: Sequence[str], now: Counts, before: Counts | None,
          lang: str) -> list[Line]:
    total = now.get("total", {}).get(report.TOTAL_VALUE, 0)
    found = []
    for value in values:
        count = now.get(dimension, {}).get(value, 0)
        share = (i18n.percent(100 * count / total, 1, lang)
                 if dimension in WITH_SHARE and total else None)
        previous = (i18n.number(before.get(dimension, {}).get(value, 0), 0, lang)
                    if before is not None else None)
        found.append(Line(value, label(dimension, value, lang), count,
                          i18n.number(count, 0, lang), share, previous))
    return found


def code_values(dimension: str, now: Counts, before: Counts | None) -> list[str]:
    """The period's values in the table's order, then those only the previous period
    had (so a category that disappeared is seen with 0)."""
    values = list(now.get(dimension, {}))
    return values + [v for v in (before or {}).get(dimension, {}) if v not in values]


def bars(section: list[Line], lang: str, *, horizontal: bool) -> str:
    """A bar chart of a section's counts (Altair, rendered like reports/charts.py)."""
    values = [{"label": line.label, "count": line.count} for line in section]
    order = [line.label for line in section]
    count_axis = alt.Axis(title=i18n.t("devann_count", lang), format="d", tickMinStep=1)
    if horizontal:
        encoding: dict[str, Any] = {
            "y": alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            "x": alt.X("count:Q", axis=count_axis)}
        size = {"width": 420, "height": 18 * len(values)}
    else:
        encoding = {"x": alt.X("label:N", sort=order, title=None,
                               axis=alt.Axis(labelAngle=0)),
                    "y": alt.Y("count:Q", axis=count_axis)}
        size = {"width": 620, "height": 110}
    chart = (alt.Chart(alt.Data(values=values)).mark_bar(color=BAR_COLOUR)
             .encode(**encoding).properties(**size)
             .configure(font=charts.FONT).configure_view(stroke=None)
             .configure_axis(labelFontSize=10, titleFontSize=10, gridColor="#e6e6e6"))
    return charts.to_svg(chart, lang)


def sections(period: Period, now: Counts, before: Counts | None,
             lang: str) -> list[Section]:
    found = []
    for dimension in ("category", "severity", "level", "direction", "reporter_org",
                      "receiver_org", "month", "weekday", "hour", "status"):
        across = dimension in ("month", "weekday", "hour")
        values = (scale(dimension, period) if across
                  else code_values(dimension, now, before))
        shown = lines(dimension, values, now, before if not across else None, lang)
        if dimension != "status" and not any(line.count for line in shown) and not (
                before and before.get(dimension)):
            continue
        chart = None
        if across or dimension in ("category", "severity"):
            chart = bars(shown, lang, horizontal=not across)
        note = i18n.t(NOTES[dimension], lang) if dimension in NOTES else None
        found.append(Section(dimension, i18n.t(f"devann_dim_{dimension}", lang), shown,
                             chart, note, across))
    return found


def trend(period: Period, now: Counts, before: Counts | None, lang: str) -> str:
    """The sentence comparing the period's total with the previous period's."""
    earlier = previous_period(period)
    name = earlier.label if earlier else "–"
    if before is None:
        return i18n.t("devann_no_previous", lang).format(period=name)
    count = now.get("total", {}).get(report.TOTAL_VALUE, 0)
    previous = before.get("total", {}).get(report.TOTAL_VALUE, 0)
    difference = count - previous
    change = i18n.signed(difference, 0, lang)
    if previous and difference:
        sign = "+" if difference > 0 else "-"
        change += f" ({sign}{i18n.percent(100 * abs(difference) / previous, 1, lang)})"
    return i18n.t("devann_trend_text", lang).format(
        count=i18n.number(count, 0, lang), previous=i18n.number(previous, 0, lang),
        period=name, change=change)


def to_html(db: Database, year: int, tertial: int | None = None, lang: str = "nb", *,
            made: datetime | None = None) -> str:
    period = Period(year, tertial)
    now = counted(report.rows(db, year, tertial))
    earlier = previous_period(period)
    before = counted(report.rows(db, earlier.year, earlier.tertial)) if earlier else None
    before = before or None  # the store has nothing from then: no trend
    heading = title(period, lang)
    made = made or clock.now()
    total = now.get("total", {}).get(report.TOTAL_VALUE, 0)
    return documents.html(
        "flyt.deviations", "annual.html.j2", lang=lang, t=lambda key: i18n.t(key, lang),
        title=heading, footer=f"Flyt – {heading} – {i18n.moment(made, lang)}",
        period_label=period.label,
        period=i18n.t("devann_period", lang).format(
            start=i18n.day(period.start, lang),
            end=i18n.day(period.end - timedelta(1), lang)),
        made=i18n.t("devann_made", lang).format(moment=i18n.moment(made, lang)),
        empty=not now, only_rejected=bool(now) and not total,
        total=i18n.number(total, 0, lang),
        previous_label=earlier.label if earlier else "–",
        previous_total=(i18n.number(before.get("total", {}).get(report.TOTAL_VALUE, 0), 0,
                                    lang) if before is not None else None),
        trend=trend(period, now, before, lang),
        sections=sections(period, now, before, lang) if now else [])


def to_pdf(db: Database, year: int, tertial: int | None = None, lang: str = "nb", *,
           made: datetime | None = None) -> bytes:
    return documents.pdf(to_html(db, year, tertial, lang, made=made))
