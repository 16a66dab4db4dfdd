"""The annual (or tertial) report of deviations as HTML and PDF (docs/deviations.md,
"The annual report"), for the improvement group and ASU, and the same for the
dashboard's page (flyt.deviations.pages.annual).

`gather` reads every number once: the long table (``report.rows``) of the period and of
the same period a year before, the timeliness (flyt.deviations.timeliness) and the top
problem areas and organisation pairs (``report.problem_areas``/``organisation_pairs``),
all counted in the database. `context` only arranges, labels and formats them for the
document and the page; `as_json` gives them as numbers for the page's JSON twin. Derived
figures are the share of the period's total and the change against the previous
period. A value with no row shows as 0 where the table lists every value of a scale
(months, weekdays, hours, or a code the other period had).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import altair as alt

from flyt import i18n
from flyt.deviations import report
from flyt.deviations.learning import PeriodLearning, for_period
from flyt.deviations.report import Group, Period
from flyt.deviations.settings import load_deviation_settings
from flyt.deviations.timeliness import Timeliness, figures
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
TOP = 5  # problem areas and organisation pairs shown


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
    """The same period a year before (the year before; the same tertial of the year
    before, so the seasons match), None before the first year the report knows."""
    if period.year == report.FIRST_YEAR:
        return None
    return Period(period.year - 1, period.tertial)


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
        previous = (i18n.number(before.get(dimension, {}).get(_earlier(dimension, value),
                                                              0), 0, lang)
                    if before is not None else None)
        found.append(Line(value, label(dimension, value, lang), count,
                          i18n.number(count, 0, lang), share, previous))
    return found


def _earlier(dimension: str, value: str) -> str:
    """The value the previous period (a year before) has for `value`: the same month
    of the year before; any other value is itself."""
    if dimension == "month":
        return f"{int(value[:4]) - 1}{value[4:]}"
    return value


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
        shown = lines(dimension, values, now,
                      before if dimension == "month" or not across else None, lang)
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


@dataclass(frozen=True)
class Ranked:
    """A problem area or organisation pair: its key (report.Group), count, and the
    count a year before (None: the store has nothing from then)."""

    key: tuple[str, ...]
    count: int
    previous: int | None


@dataclass(frozen=True)
class Figures:
    """Every number of the report of one period, read once."""

    period: Period
    earlier: Period | None
    made: datetime
    table: list[dict[str, object]]  # report.rows
    before_table: list[dict[str, object]] | None  # None: nothing from then
    timeliness: Timeliness
    areas: list[Ranked]
    pairs: list[Ranked]
    learning: PeriodLearning | None = None  # None: not asked for (tests of the numbers)


def ranked(now: list[Group], before: list[Group] | None) -> list[Ranked]:
    """The first TOP groups (report's order: most first) with the previous count."""
    earlier = {g.key: g.count for g in before} if before is not None else None
    return [Ranked(g.key, g.count, None if earlier is None else earlier.get(g.key, 0))
            for g in now[:TOP]]


def gather(db: Database, year: int, tertial: int | None = None, *,
           made: datetime | None = None) -> Figures:
    """The report's numbers for the period (status and open items as of `made`,
    default now). The seven queries run side by side: each is one grouped scan the
    database (PostgreSQL's server, DuckDB's threads) works on without the GIL."""
    period = Period(year, tertial)
    made = made or clock.now()
    categories = load_deviation_settings().categories
    earlier = previous_period(period)
    periods = [(year, tertial)] + ([(earlier.year, earlier.tertial)] if earlier else [])
    with ThreadPoolExecutor(max_workers=4) as pool:
        tables = [pool.submit(report.rows, db, y, t, categories=categories) for y, t in periods]
        areas = [pool.submit(report.problem_areas, db, y, t, categories=categories)
                 for y, t in periods]
        pairs = [pool.submit(report.organisation_pairs, db, y, t) for y, t in periods]
        timed = pool.submit(figures, db, year, tertial, made=made)
        lessons = pool.submit(for_period, db, period.start, period.end - timedelta(days=1))
        table = tables[0].result()
        # The store has nothing from the previous period: no trend, no previous counts.
        before_table = (tables[1].result() or None) if earlier else None

        def previous(found: list[Future[list[Group]]]) -> list[Group] | None:
            return found[1].result() if before_table is not None else None

        return Figures(period, earlier, made, table, before_table, timed.result(),
                       ranked(areas[0].result(), previous(areas)),
                       ranked(pairs[0].result(), previous(pairs)), lessons.result())


def _days(value: float | None, lang: str) -> str:
    return "–" if value is None else i18n.number(value, 1, lang)


def _share(part: int, whole: int, lang: str) -> str:
    if not whole:
        return "–"
    return (f"{i18n.percent(100 * part / whole, 1, lang)} "
            f"({i18n.number(part, 0, lang)}/{i18n.number(whole, 0, lang)})")


def timeliness_lines(found: Timeliness, lang: str) -> list[dict[str, str]]:
    """The timeliness table: one line a figure (`figure` names it for the tests)."""
    settings = load_deviation_settings()
    n = lambda value: i18n.number(value, 0, lang)  # noqa: E731
    def t(key: str) -> str:
        return i18n.t(key, lang)

    shown = [
        ("acknowledged", t("devann_time_acknowledged"), n(found.acknowledged)),
        ("acknowledge_median", t("devann_time_acknowledge_median"),
         _days(found.acknowledge_median, lang)),
        ("acknowledge_p90", t("devann_time_acknowledge_p90"),
         _days(found.acknowledge_p90, lang)),
        ("acknowledge_share", t("devann_time_acknowledge_share"),
         _share(found.acknowledge_on_time, found.acknowledge_known, lang)),
        ("answered", t("devann_time_answered"), n(found.answered)),
        ("answer_median", t("devann_time_answer_median"), _days(found.answer_median, lang)),
        ("answer_p90", t("devann_time_answer_p90"), _days(found.answer_p90, lang)),
        ("answer_share", t("devann_time_answer_share"),
         _share(found.answer_on_time, found.answer_known, lang)),
        ("open_at_end", t("devann_time_open_at_end"), n(found.open_at_end)),
        ("overdue", t("devann_time_overdue"), n(found.overdue)),
        ("overdue_acknowledge", t("devann_time_overdue_acknowledge"),
         n(found.overdue_acknowledge)),
        ("overdue_answer", t("devann_time_overdue_answer"), n(found.overdue_answer)),
    ]
    words = {"days": settings.acknowledge_working_days, "answer_days": settings.answer_days,
             "end": i18n.moment(found.end, lang)}
    return [{"figure": key, "label": text.format(**words), "shown": value}
            for key, text, value in shown]


def area_label(key: tuple[str, ...], lang: str) -> str:
    category = label("category", key[0], lang)
    return f"{category} – {key[1]}" if key[1] else category


def ranked_lines(found: list[Ranked], kind: str, lang: str) -> list[dict[str, Any]]:
    """Problem areas (`kind` "area") or organisation pairs ("pair") as table lines."""
    shown = []
    for item in found:
        if kind == "area":
            what = [area_label(item.key, lang), label("direction", item.key[2], lang)]
        else:
            what = [label("reporter_org", item.key[0], lang) + " → "
                    + label("receiver_org", item.key[1], lang)]
        shown.append({
            "key": "|".join(item.key), "what": what, "count": i18n.number(item.count, 0, lang),
            "previous": "–" if item.previous is None else i18n.number(item.previous, 0, lang),
            "change": ("–" if item.previous is None
                       else i18n.signed(item.count - item.previous, 0, lang))})
    return shown


def context(found: Figures, lang: str) -> dict[str, Any]:
    """What the document and the page show, formatted in `lang`."""
    period, earlier = found.period, found.earlier
    now = counted(found.table)
    before = counted(found.before_table) if found.before_table is not None else None
    heading = title(period, lang)
    total = now.get("total", {}).get(report.TOTAL_VALUE, 0)
    return dict(
        title=heading, footer=f"Flyt – {heading} – {i18n.moment(found.made, lang)}",
        period_label=period.label,
        period=i18n.t("devann_period", lang).format(
            start=i18n.day(period.start, lang),
            end=i18n.day(period.end - timedelta(1), lang)),
        made=i18n.t("devann_made", lang).format(moment=i18n.moment(found.made, lang)),
        empty=not now, only_rejected=bool(now) and not total,
        total=i18n.number(total, 0, lang),
        previous_label=earlier.label if earlier else "–",
        previous_total=(i18n.number(before.get("total", {}).get(report.TOTAL_VALUE, 0), 0,
                                    lang) if before is not None else None),
        trend=trend(period, now, before, lang),
        sections=sections(period, now, before, lang) if now else [],
        timeliness=timeliness_lines(found.timeliness, lang),
        timeliness_note=i18n.t("devann_time_note", lang).format(
            imported=i18n.number(found.timeliness.imported, 0, lang)),
        areas=ranked_lines(found.areas, "area", lang),
        pairs=ranked_lines(found.pairs, "pair", lang),
        learning=learning_points(found, lang))


def learning_points(found: Figures, lang: str) -> dict[str, Any] | None:
    """The learning points linked to the period's deviations, with their measures
    (owner organisation, due day, status; no owner person) and the measures counted by
    status; None when none is recorded. The deviations are named by id only."""
    if found.learning is None or not found.learning.points:
        return None
    names = _org_names()

    def status(measure_status: str) -> str:
        return i18n.t(f"learn_status_{measure_status}", lang)

    return {
        "points": [{
            "id": p.id, "title": p.title, "description": p.description or "",
            "deviations": i18n.number(len(p.deviation_ids), 0, lang),
            "measures": [{"text": m.text, "owner": names.get(m.owner_org, m.owner_org),
                          "due": i18n.day(m.due_on, lang) if m.due_on else "–",
                          "status": status(m.status)} for m in p.measures]}
            for p in found.learning.points],
        "by_status": [{"status": status(code), "count": i18n.number(n, 0, lang)}
                      for code, n in found.learning.by_status.items()],
    }


def as_json(found: Figures) -> dict[str, Any]:
    """The numbers as numbers (the page's JSON twin)."""
    timeliness = asdict(found.timeliness)
    timeliness["end"] = found.timeliness.end.isoformat(timespec="minutes")
    timeliness["acknowledge_share"] = found.timeliness.acknowledge_share
    timeliness["answer_share"] = found.timeliness.answer_share
    return {
        "year": found.period.year, "tertial": found.period.tertial,
        "period": found.period.label, "start": found.period.start.isoformat(),
        "end": (found.period.end - timedelta(1)).isoformat(),
        "made": found.made.isoformat(timespec="minutes"),
        "previous_period": found.earlier.label if found.earlier else None,
        "rows": found.table, "previous_rows": found.before_table,
        "timeliness": timeliness,
        "problem_areas": [{"category": a.key[0], "subcategory": a.key[1] or None,
                           "direction": a.key[2], "count": a.count, "previous": a.previous}
                          for a in found.areas],
        "organisation_pairs": [{"reporter_org": p.key[0], "receiver_org": p.key[1],
                                "count": p.count, "previous": p.previous}
                               for p in found.pairs],
        "learning": None if found.learning is None else {
            "by_status": found.learning.by_status,
            "points": [{"id": p.id, "title": p.title, "deviation_ids": list(p.deviation_ids),
                        "measures": [{"text": m.text, "owner_org": m.owner_org,
                                      "due_on": m.due_on.isoformat() if m.due_on else None,
                                      "status": m.status} for m in p.measures]}
                       for p in found.learning.points]}}


def warm_up(pdf: bool) -> None:
    """Load what rendering needs (vl-convert's JavaScript engine: ~0.5 s for the first
    chart of a process; WeasyPrint and its fonts for a PDF) while the database counts:
    `flyt report deviations` runs this in a thread beside `gather`, whose queries wait
    on the database, not on Python."""
    charts.to_svg(alt.Chart(alt.Data(values=[{"n": 1}])).mark_bar().encode(x="n:Q"))
    if pdf:
        import weasyprint  # noqa: F401


def render(found: Figures, lang: str) -> str:
    """The document (HTML) of gathered figures."""
    shown = context(found, lang)
    return documents.html("flyt.deviations", "annual.html.j2", lang=lang,
                          t=lambda key: i18n.t(key, lang), title=shown["title"],
                          footer=shown["footer"], report=shown)


def to_html(db: Database, year: int, tertial: int | None = None, lang: str = "nb", *,
            made: datetime | None = None) -> str:
    return render(gather(db, year, tertial, made=made), lang)


def to_pdf(db: Database, year: int, tertial: int | None = None, lang: str = "nb", *,
           made: datetime | None = None) -> bytes:
    return documents.pdf(to_html(db, year, tertial, lang, made=made))
