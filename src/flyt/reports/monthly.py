"""The monthly KPI report (ASU case 4/24): sent about the 20th for the month before.

First page: the six KPIs for the community, somatics and mental health, with the
month's value, the rolling 12 months, the target, achievement against expected
and the status, and the seed's reading guide. Then the trends, a page per region
with each municipality's own figures, and the data's completeness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flyt import i18n
from flyt.config import Settings
from flyt.domain.codes import KPIS, SECTORS
from flyt.domain.months import add_months
from flyt.domain.rates import per_1000, total_population
from flyt.engine.read import GoalRow
from flyt.output import documents
from flyt.reports import RenderedReport, charts
from flyt.reports.data import MonthlyData, gather
from flyt.store.db import Database

SPARK_MONTHS = 24
TABLE_KPIS = (2, 3, 4, 5)  # beside UKP days in the municipality tables (rolling 12 months)


@dataclass(frozen=True)
class StatusLine:
    kpi: int
    name: str
    sector_code: str
    sector: str
    value: str
    value_12m: str
    preliminary: bool
    target: str
    achievement: str
    expected: str
    status: str | None  # green | yellow | red, None without a goal
    rows: int  # rows the KPI's name spans (first line of a KPI), 0 for the others


def fmt(kpi: int, value: Any, lang: str, *, hidden: bool = False) -> str:
    """A KPI value as the report shows it: shares with % and one decimal, means with two;
    a hidden value and no value have marks of their own (i18n.HIDDEN_MARK, NO_VALUE_MARK)."""
    if hidden:
        return i18n.HIDDEN_MARK
    if value is None:
        return i18n.NO_VALUE_MARK
    if KPIS[kpi].measure.value == "share":
        return i18n.percent(value, KPIS[kpi].decimals, lang)
    return i18n.number(value, KPIS[kpi].decimals, lang)


def fmt_part(kpi: int, record: dict | None, part: str, lang: str) -> str:
    """The month (``part`` "value") or 12-month (``"value_12m"``) value of a KPI table
    record as the report shows it."""
    record = record or {}
    flag = "suppressed" if part == "value" else "suppressed_12m"
    return fmt(kpi, record.get(part), lang, hidden=bool(record.get(flag)))


def fmt_rate(value: Any, population: int | None, lang: str, *, hidden: bool) -> str:
    """UKP days per 1 000 inhabitants (hidden with the days it is computed from)."""
    if hidden:
        return i18n.HIDDEN_MARK
    rate = per_1000(value, population)
    return i18n.NO_VALUE_MARK if rate is None else i18n.number(rate, 1, lang)


def kpi_name(kpi: int, lang: str) -> str:
    return KPIS[kpi].name_nb if lang == "nb" else KPIS[kpi].name_en


def status_lines(data: MonthlyData, lang: str) -> list[StatusLine]:
    lines = []
    for kpi in range(1, 7):
        sectors = ("alle",) if kpi == 6 else SECTORS
        for sector in sectors:
            goal = data.goal(kpi, sector)
            # The line speaks of the goal's own group (KPI 6: the configured unit), so
            # value, target and achievement are about the same thing.
            record = (data.record(goal.group_type, goal.group_id, sector, kpi) if goal
                      else data.community(sector, kpi)) or {}
            first = len(sectors) if sector == sectors[0] else 0
            lines.append(_line(kpi, sector, record, goal, lang, first))
    return lines


def _line(kpi: int, sector: str, record: dict, goal: GoalRow | None, lang: str,
          rows: int) -> StatusLine:
    goal_text = ""
    if goal is not None and goal.group_type == "unit":
        goal_text = f" ({goal.group_id})"
    hidden_goal = goal is not None and goal.hidden
    return StatusLine(
        kpi=kpi, name=kpi_name(kpi, lang) + goal_text, sector_code=sector,
        sector=i18n.t(sector, lang),
        value=fmt_part(kpi, record, "value", lang),
        value_12m=fmt_part(kpi, record, "value_12m", lang),
        preliminary=bool(record.get("preliminary")),
        target=(fmt(kpi, goal.target, lang, hidden=hidden_goal and goal.target is None)
                if goal else i18n.NO_VALUE_MARK),
        achievement=(i18n.HIDDEN_MARK if hidden_goal else
                     i18n.percent(goal.achievement, 1, lang) if goal else i18n.NO_VALUE_MARK),
        expected=i18n.percent(goal.expected, 1, lang) if goal else i18n.NO_VALUE_MARK,
        status=goal.status if goal else None, rows=rows)


def trend_charts(data: MonthlyData, lang: str) -> list[str]:
    """SVG: UKP days per month by sector with the target, KPI 5 with preliminary months."""
    colours = charts.SECTOR_COLOURS
    ukp = [{"month": f"{m}-01", "value": (data.community(s, 1, m) or {}).get("value"),
            "series": i18n.t(s, lang), "colour": colours[s], "preliminary": False}
           for s in SECTORS for m in data.months]
    goal1 = data.goal(1, "somatikk")
    target1 = goal1.target / 12 if goal1 and goal1.target else None
    readmit = [{"month": f"{m}-01", "value": (data.community(s, 5, m) or {}).get("value"),
                "series": i18n.t(s, lang), "colour": colours[s],
                "preliminary": bool((data.community(s, 5, m) or {}).get("preliminary"))}
               for s in SECTORS for m in data.months]
    goal5 = data.goal(5, "somatikk")
    return [
        charts.to_svg(charts.monthly_lines(
            [v for v in ukp if v["value"] is not None], title=kpi_name(1, lang),
            y_title=i18n.t("ukp_days", lang), series_title=i18n.t("sector", lang),
            target=target1, target_label=i18n.t("target_per_month", lang).format(
                year=i18n.number(goal1.target if goal1 else None, 0, lang),
                month=i18n.number(target1, 0, lang))), lang),
        charts.to_svg(charts.monthly_lines(
            [v for v in readmit if v["value"] is not None], title=kpi_name(5, lang),
            y_title="%", series_title=i18n.t("sector", lang),
            target=goal5.target if goal5 else None,
            target_label=f"{i18n.t('target', lang)} "
                         f"{fmt(5, goal5.target if goal5 else None, lang)}"), lang),
    ]


def municipality_rows(data: MonthlyData, region: str, lang: str) -> list[dict[str, Any]]:
    rows = []
    for m in data.in_region(region):
        ukp = data.record("municipality", m.code, "alle", 1) or {}
        spark = [{"month": f"{month}-01", "value": v}
                 for month in data.months[-SPARK_MONTHS:]
                 if isinstance(v := (data.record("municipality", m.code, "alle", 1, month)
                                     or {}).get("value"), int | float)]
        rows.append({
            "code": m.code, "name": m.name, "population": i18n.number(m.population, 0, lang),
            "days": fmt_part(1, ukp, "value", lang),
            "days_12m": fmt_part(1, ukp, "value_12m", lang),
            "rate_12m": fmt_rate(ukp.get("value_12m"), m.population, lang,
                                 hidden=bool(ukp.get("suppressed_12m"))),
            "kpis": [fmt_part(k, data.record("municipality", m.code, "alle", k), "value_12m",
                              lang) for k in TABLE_KPIS],
            "trend": charts.to_svg(charts.sparkline(spark), lang) if len(spark) > 1 else "",
            "own": m.code == data.edition,
        })
    return rows


def region_summary(data: MonthlyData, region: str, lang: str) -> dict[str, str]:
    ukp = data.record("region", region, "alle", 1) or {}
    population = total_population(m.population for m in data.in_region(region))
    return {"days": fmt_part(1, ukp, "value", lang),
            "days_12m": fmt_part(1, ukp, "value_12m", lang),
            "rate_12m": fmt_rate(ukp.get("value_12m"), population, lang,
                                 hidden=bool(ukp.get("suppressed_12m")))}


def title(data: MonthlyData, lang: str) -> str:
    return i18n.t("monthly_title", lang).format(month=i18n.month(data.month, lang))


def edition_name(data: MonthlyData, lang: str) -> str:
    if data.edition is None:
        return i18n.t("shared_edition", lang).format(threshold=data.threshold)
    name = next(m.name for m in data.municipalities if m.code == data.edition)
    return i18n.t("municipality_edition", lang).format(name=name, code=data.edition)


def to_html(data: MonthlyData, lang: str = "nb") -> str:
    heading = title(data, lang)
    return documents.html(
        "flyt.reports", "monthly.html.j2",
        lang=lang, t=lambda key: i18n.t(key, lang), title=heading,
        footer=f"Flyt – {heading} – {edition_name(data, lang)}", data=data,
        edition=edition_name(data, lang), lines=status_lines(data, lang),
        legend=i18n.t("marks_legend", lang).format(below=data.threshold - 1),
        charts=trend_charts(data, lang),
        table_kpis=[i18n.t(f"kpi{k}_short", lang) for k in TABLE_KPIS],
        regions=[{"name": r, "summary": region_summary(data, r, lang),
                  "rows": municipality_rows(data, r, lang)} for r in data.regions],
        cutoff=i18n.moment(data.cutoff, lang),
        sources=[{"kind": s.kind, "source": s.source, "last": i18n.moment(s.last_import, lang),
                  "rows": i18n.number(s.rows, 0, lang)} for s in data.sources],
        plo_last=i18n.moment(data.plo_last, lang) if data.plo_last else None,
        first_month=i18n.month(add_months(data.month, -(len(data.months) - 1)), lang))


def build(db: Database, settings: Settings, month: date, *, cutoff: datetime,
          municipality: str | None = None) -> MonthlyData:
    return gather(db, settings, month, cutoff, municipality)


def render_for_mail(db: Database, settings: Settings, month: date, lang: str = "nb",
                    *, cutoff: datetime | None = None) -> RenderedReport:
    from flyt.engine import moments

    data = build(db, settings, month, cutoff=cutoff or moments.default_cutoff(db))
    document = to_html(data, lang)
    return RenderedReport("monthly", title(data, lang), document, documents.pdf(document),
                          f"flyt-{i18n.t('monthly_file', lang)}-{data.month:%Y-%m}.pdf")


def to_xlsx(data: MonthlyData, lang: str = "nb") -> bytes:
    """Overview, trend (every month shown) and municipalities, as in the PDF; values are
    the KPI table's: numbers as numbers, a hidden value as the mark ":", no value empty."""
    from flyt.reports.workbook import Workbook

    t = lambda key: i18n.t(key, lang)  # noqa: E731
    book = Workbook()
    heading = f"{title(data, lang)} – {edition_name(data, lang)}"
    overview = []
    for line in status_lines(data, lang):
        goal = data.goal(line.kpi, line.sector_code)
        record = (data.record(goal.group_type, goal.group_id, line.sector_code, line.kpi)
                  if goal else data.community(line.sector_code, line.kpi))
        hidden_goal = goal is not None and goal.hidden
        overview.append([line.kpi, line.name, line.sector,
                         _cell(record, "value"), _cell(record, "value_12m"),
                         (i18n.HIDDEN_MARK if hidden_goal and goal.target is None
                          else goal.target) if goal else None,
                         (i18n.HIDDEN_MARK if hidden_goal
                          else _rounded(goal.achievement)) if goal else None,
                         _rounded(goal.expected if goal else None),
                         t(goal.status) if goal and goal.status else None,
                         t("preliminary") if (record or {}).get("preliminary") else None])
    book.sheet(t("overview"), heading,
               [t("kpi"), "", t("sector"), t("month_value"), t("value_12m"), t("target"),
                t("achievement") + " %", t("expected") + " %", t("status"), ""],
               overview, [6, 34, 18, 12, 12, 10, 14, 12, 30, 12])
    trend = [[m, kpi, i18n.t(sector, lang), _cell(r, "value"), _cell(r, "value_12m"),
              t("preliminary") if r.get("preliminary") else None]
             for m in data.months for kpi in range(1, 6) for sector in SECTORS
             if (r := data.community(sector, kpi, m)) is not None]
    book.sheet(t("trends"), heading, [t("month"), t("kpi"), t("sector"), t("month_value"),
                                      t("value_12m"), ""], trend, [10, 8, 18, 12, 12, 12])
    municipalities = []
    for region in data.regions:
        for m in data.in_region(region):
            ukp = data.record("municipality", m.code, "alle", 1) or {}
            days_12m = _cell(ukp, "value_12m")
            municipalities.append(
                [region, m.code, m.name, m.population, _cell(ukp, "value"), days_12m,
                 days_12m if days_12m == i18n.HIDDEN_MARK else per_1000(days_12m, m.population),
                 *[_cell(data.record("municipality", m.code, "alle", k), "value_12m")
                   for k in TABLE_KPIS]])
    book.sheet(t("municipality"), heading,
               [t("region"), t("municipality"), "", t("population"),
                f"{t('ukp_days')} {t('month_value').lower()}",
                f"{t('ukp_days')} {t('value_12m').lower()}", t("per_1000"),
                *[i18n.t(f"kpi{k}_short", lang) for k in TABLE_KPIS]],
               municipalities, [16, 8, 18, 11, 12, 12, 12, 12, 12, 12, 12])
    book.sheet(t("completeness"), heading, [t("data_kind"), t("source"), t("last_import"),
                                            t("rows")],
               [[s.kind, s.source, i18n.moment(s.last_import, lang), s.rows]
                for s in data.sources], [16, 16, 18, 12])
    book.sheet(t("legend"), heading, [t("legend")],
               [[i18n.t("marks_legend", lang).format(below=data.threshold - 1)]], [120])
    return book.close()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _cell(record: dict | None, part: str) -> float | int | str | None:
    """A value for a spreadsheet cell: a number, the hidden mark, or empty (no value)."""
    record = record or {}
    if record.get("suppressed" if part == "value" else "suppressed_12m"):
        return i18n.HIDDEN_MARK
    value = record.get(part)
    return value if isinstance(value, int | float) else None
