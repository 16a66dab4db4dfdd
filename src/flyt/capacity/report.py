"""The weekly capacity report (``flyt report capacity``; docs/capacity.md, "The weekly
capacity report"): what the committee reads before its Monday meeting, as HTML, PDF and
XLSX, and what the schedule mails (kind ``capacity``).

Everything comes from ``overview.build`` at ``at`` (the page shows the same):

- the escalation levels of the community and each municipality: those stored at or
  before ``at`` when computed for a moment at most ``FRESH`` before it (the daily run
  stores them at 08:00), else computed for the last 08:00 census and not stored;
- the community's UKP census of the last ``overview.RECENT_DAYS`` days and its forecast
  with the 80 % band, and the forecast by ISO week;
- every after-care and short-term unit's latest count and its forecast peak;
- the free short-term beds per municipality; the seasonal calendar of the year ahead.

It is the shared edition (it is mailed): a municipality's UKP census of 1 to threshold
- 1 is hidden as in the snapshot report (flyt.disclosure.census), and so is its ratio
to the normal; levels are categories and are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from flyt import i18n
from flyt.capacity import escalation_inputs, escalation_store, history, overview
from flyt.capacity.beds import UnitBeds
from flyt.capacity.escalation import LEVEL_KEYS, Indicator
from flyt.capacity.escalation_settings import EscalationSettings
from flyt.capacity.escalation_text import INDICATOR_KEYS, indicator_value, municipality_label
from flyt.capacity.seasons import Period, Pressure
from flyt.disclosure.census import hidden_lines
from flyt.domain import clock
from flyt.output import documents
from flyt.store.db import Database

if TYPE_CHECKING:
    from flyt.config import Settings
    from flyt.reports import RenderedReport

FRESH = timedelta(hours=24)  # stored levels older than this are computed anew
RATIOS = ("ukp_vs_normal",)  # a census against its normal: hidden with the census
KIND_KEYS = {"aftercare": "caprep_kind_aftercare", "short_term": "caprep_kind_short_term"}
SEASON_KEYS = {"easter": "caprep_season_easter", "summer": "caprep_season_summer",
               "christmas": "caprep_season_christmas", "influenza": "caprep_season_influenza"}


@dataclass(frozen=True)
class Level:
    """A group's level as the report shows it."""

    group_type: str  # community | municipality
    group_id: str
    level: int
    since: datetime
    indicators: tuple[Indicator, ...]

    @property
    def passed(self) -> tuple[Indicator, ...]:
        """The indicators that passed a threshold: why the level is above 1."""
        return tuple(i for i in self.indicators if i.threshold is not None)


@dataclass(frozen=True)
class UnitPeak:
    """A unit's latest count and the highest mean of its forecast (None: too little
    history for one)."""

    beds: UnitBeds
    peak: float | None
    peak_day: date | None
    upper: float | None  # the 80 % band's top that day


@dataclass(frozen=True)
class Week:
    """The forecast over the days of one ISO week: the means of the days' mean, lower
    and upper bounds."""

    year: int
    week: int
    first: date
    last: date
    mean: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Figures:
    overview: overview.Overview
    levels: tuple[Level, ...]
    levels_at: datetime  # the moment the levels are of
    levels_stored: bool  # read from the store (else computed for the report)
    units: tuple[UnitPeak, ...]
    weeks: tuple[Week, ...]
    hidden: frozenset[str]  # municipalities whose census is masked
    threshold: int
    made: datetime

    @property
    def names(self) -> dict[str, str]:
        return {m.code: m.name for m in self.overview.municipalities}


# --- gathering --------------------------------------------------------------------


def _levels(db: Database, found: overview.Overview,
            settings: EscalationSettings) -> tuple[tuple[Level, ...], datetime, bool]:
    stored = found.levels
    if stored and found.at - stored[0].at <= FRESH:
        return tuple(Level(s.group_type, s.group_id, s.level, s.since,
                           tuple(Indicator(**i) for i in s.indicators))
                     for s in stored), stored[0].at, True
    computed, _ = escalation_inputs.assess_all(db, found.last, settings)
    since = escalation_store.since(db, found.last, computed)
    return tuple(Level(g.group_type, g.group_id, g.level, since[(g.group_type, g.group_id)],
                       g.indicators) for g in computed), found.last, False


def _peak(known: history.History, beds: UnitBeds) -> UnitPeak:
    if beds.unit not in known.units.columns:
        return UnitPeak(beds, None, None, None)
    made = overview.series_of(known, ("unit", beds.unit), overview.DEFAULT_HORIZON).forecast
    if made is None or made.empty:
        return UnitPeak(beds, None, None, None)
    day = made["mean"].idxmax()
    return UnitPeak(beds, float(made.loc[day, "mean"]), day.date(),
                    float(made.loc[day, "upper"]))


def weeks(made: pd.DataFrame | None) -> tuple[Week, ...]:
    """The daily forecast by ISO week (a week the horizon cuts has fewer days)."""
    if made is None:
        return ()
    found = []
    iso = made.index.isocalendar()
    for (year, week), part in made.groupby([iso["year"], iso["week"]], sort=True):
        found.append(Week(int(year), int(week), part.index[0].date(), part.index[-1].date(),
                          float(part["mean"].mean()), float(part["lower"].mean()),
                          float(part["upper"].mean())))
    return tuple(found)


def gather(db: Database, at: datetime, threshold: int, settings: EscalationSettings, *,
           made: datetime | None = None) -> Figures:
    """Everything the report shows at ``at`` (see the module's docstring); ``threshold``:
    the settings' suppression threshold."""
    found = overview.build(db, at)
    levels, levels_at, stored = _levels(db, found, settings)
    known = history.read(db, at)
    return Figures(
        overview=found, levels=levels, levels_at=levels_at, levels_stored=stored,
        units=tuple(_peak(known, b) for b in found.beds), weeks=weeks(found.series.forecast),
        hidden=frozenset(hidden_lines(found.census, threshold)), threshold=threshold,
        made=made or clock.now())


def has_data(found: Figures) -> bool:
    """Whether the store knew anything at ``at``: a census, a level or a bed count."""
    return bool(found.overview.series.recent.notna().any() or found.levels or found.units)


# --- formatting -------------------------------------------------------------------


def week_of(found: Figures) -> tuple[int, int]:
    """The ISO year and week the report is for (of ``at``)."""
    year, week, _ = found.overview.at.isocalendar()
    return year, week


def title(found: Figures, lang: str) -> str:
    year, week = week_of(found)
    return i18n.t("caprep_title", lang).format(week=week, year=year)


def file_name(found: Figures, lang: str, ext: str = "pdf") -> str:
    year, week = week_of(found)
    return f"flyt-{i18n.t('caprep_file', lang)}-{year}-{week:02d}.{ext}"


def level_word(level: int, lang: str) -> str:
    return i18n.t(LEVEL_KEYS[level], lang)


def _count(value: float | None, lang: str, decimals: int = 1) -> str:
    return i18n.number(value, decimals, lang)


def _indicator(found: Figures, level: Level, indicator: Indicator, lang: str) -> str:
    """«Belegg korttid 115,0 % (terskel 110,0 %)»; a hidden census's ratio as the mark."""
    masked = level.group_id in found.hidden and indicator.name in RATIOS
    value = i18n.HIDDEN_MARK if masked else indicator_value(indicator, indicator.value, lang)
    return i18n.t("caprep_indicator", lang).format(
        name=i18n.t(INDICATOR_KEYS[indicator.name], lang), value=value,
        threshold=indicator_value(indicator, indicator.threshold, lang))


def level_rows(found: Figures, lang: str) -> list[dict[str, Any]]:
    """The community, then every municipality (the reference's and any other with a
    level), each with its level or none, its census (masked where small) and why."""
    ov = found.overview
    by_group = {(x.group_type, x.group_id): x for x in found.levels}
    codes = sorted({*ov.census, *(x.group_id for x in found.levels
                                  if x.group_type == "municipality")})
    groups = [("community", "all"), *(("municipality", c) for c in codes)]
    rows = []
    for group_type, group_id in groups:
        level = by_group.get((group_type, group_id))
        community = group_type == "community"
        census: int | str | None = (ov.community_census if community else
                                    i18n.HIDDEN_MARK if group_id in found.hidden
                                    else ov.census.get(group_id))
        rows.append({
            "group": (i18n.t("esc_community", lang) if community
                      else municipality_label(group_id, found.names)),
            "community": community, "census": census,
            "census_text": census if isinstance(census, str) else _count(census, lang, 0),
            "level": level.level if level else None,
            "word": level_word(level.level, lang) if level else i18n.t("caprep_no_level", lang),
            "since": i18n.moment(level.since, lang) if level else i18n.NO_VALUE_MARK,
            "since_day": level.since if level else None,
            "why": [_indicator(found, level, i, lang) for i in level.passed] if level else [],
        })
    return rows


def chart_values(series: overview.Series) -> list[dict[str, Any]]:
    """The rows of ``charts.forecast_band``: the counted days, then the forecast's."""
    values: list[dict[str, Any]] = [
        {"date": f"{day:%Y-%m-%d}", "kind": "recent", "value": float(v)}
        for day, v in series.recent.items() if not pd.isna(v)]
    if series.forecast is not None:
        values += [{"date": f"{day:%Y-%m-%d}", "kind": "forecast", "value": float(r["mean"]),
                    "lower": float(r["lower"]), "upper": float(r["upper"])}
                   for day, r in series.forecast.iterrows()]
    return values


def chart(found: Figures, lang: str) -> str:
    """The community's recent census and forecast as inline SVG ("" without data)."""
    from flyt.reports import charts

    series = found.overview.series
    if not series.recent.notna().any():
        return ""
    spec = charts.forecast_band(
        chart_values(series), today=f"{found.overview.last:%Y-%m-%d}",
        today_label=i18n.t("caprep_today", lang), title=i18n.t("caprep_chart_title", lang),
        y_title=i18n.t("caprep_chart_y", lang),
        names={"recent": i18n.t("caprep_observed", lang),
               "forecast": i18n.t("caprep_forecast", lang),
               "band": i18n.t("capacity_pages_band", lang)})
    return charts.to_svg(spec, lang)


def _unit(x: UnitPeak, found: Figures, lang: str) -> dict[str, Any]:
    b = x.beds
    return {"unit": b.unit, "kind": i18n.t(KIND_KEYS[b.kind], lang),
            "owner": municipality_label(b.owner, found.names),
            "counted": i18n.moment(b.counted_at, lang),
            "occupied": _count(b.occupied, lang, 0), "available": _count(b.available, lang, 0),
            "free": i18n.number(b.free, 0, lang),
            "pct": i18n.percent(100.0 * b.occupied / b.available if b.available > 0 else None,
                                1, lang),
            "peak": _count(x.peak, lang), "peak_day": i18n.day(x.peak_day, lang)
            if x.peak_day else i18n.NO_VALUE_MARK, "upper": _count(x.upper, lang)}


def short_term_free(found: Figures) -> list[tuple[str, int, int, int]]:
    """(municipality, occupied, available, free) of the short-term units each owns."""
    sums: dict[str, list[int]] = {}
    for x in found.units:
        if x.beds.kind == "short_term":
            total = sums.setdefault(x.beds.owner, [0, 0])
            total[0] += x.beds.occupied
            total[1] += x.beds.available
    return [(owner, o, a, a - o) for owner, (o, a) in sorted(sums.items())]


def _season(period: Period, pressure: Pressure | None, lang: str) -> dict[str, Any]:
    return {"name": f"{i18n.t(SEASON_KEYS[period.kind], lang)} {period.year}",
            "from": i18n.day(period.start, lang), "to": i18n.day(period.end, lang),
            "meeting": i18n.day(period.meeting, lang) if period.meeting
            else i18n.t("caprep_short_notice", lang),
            "normal": _count(pressure.normal if pressure else None, lang),
            "ratio": i18n.number(pressure.ratio if pressure else None, 2, lang),
            "forecast": _count(pressure.forecast_mean if pressure else None, lang),
            "upper": _count(pressure.forecast_upper if pressure else None, lang)}


def context(found: Figures, lang: str, picture: str = "") -> dict[str, Any]:
    """What the document shows, formatted in ``lang``; ``picture``: the chart as SVG."""
    ov = found.overview
    heading = title(found, lang)
    levels_note = "caprep_levels_stored" if found.levels_stored else "caprep_levels_computed"
    free = short_term_free(found)
    return dict(
        title=heading, footer=f"Flyt – {heading}",
        meta=i18n.t("caprep_meta", lang).format(census=i18n.moment(ov.last, lang),
                                                made=i18n.moment(found.made, lang)),
        levels_note=i18n.t(levels_note, lang).format(at=i18n.moment(found.levels_at, lang)),
        levels=level_rows(found, lang),
        rule=i18n.t("caprep_rule", lang).format(below=found.threshold - 1),
        chart=picture, too_little=i18n.t("caprep_too_little", lang),
        weeks=[{"week": i18n.t("caprep_week", lang).format(week=w.week),
                "days": f"{i18n.day(w.first, lang)} – {i18n.day(w.last, lang)}",
                "mean": _count(w.mean, lang), "lower": _count(w.lower, lang),
                "upper": _count(w.upper, lang)} for w in found.weeks],
        units=[_unit(x, found, lang) for x in found.units],
        free=[{"group": municipality_label(owner, found.names),
               "occupied": _count(o, lang, 0), "available": _count(a, lang, 0),
               "free": i18n.number(f, 0, lang)} for owner, o, a, f in free],
        free_total=i18n.number(sum(f for *_, f in free), 0, lang) if free else "",
        seasons=[_season(p, ov.pressure.get(p.key), lang) for p in ov.periods])


def to_html(found: Figures, lang: str = "nb") -> str:
    shown = context(found, lang, chart(found, lang))
    return documents.html("flyt.capacity", "report/capacity_report.html.j2", lang=lang,
                          t=lambda key: i18n.t(key, lang), title=shown["title"],
                          footer=shown["footer"], report=shown)


def to_xlsx(found: Figures, lang: str = "nb") -> bytes:
    """One sheet per part (flyt.reports.workbook): numbers as numbers, every text as
    text (never a formula), dates as dd.mm.yyyy text; a hidden census as the mark."""
    from flyt.reports.workbook import Workbook

    def t(key: str) -> str:
        return i18n.t(key, lang)

    def day(value: date | None) -> str | None:
        return i18n.day(value, lang) if value else None

    shown = context(found, lang)
    heading = f"{shown['title']} – {shown['meta']}"
    book = Workbook()
    book.sheet(t("caprep_sheet_levels"), heading, [
        t("esc_col_group"), t("esc_col_level"), t("caprep_col_level_word"), t("esc_col_since"),
        t("caprep_col_census"), t("caprep_col_why")],
        [[r["group"], r["level"], r["word"], i18n.moment(r["since_day"], lang)
          if r["since_day"] else None, r["census"], "; ".join(r["why"]) or None]
         for r in shown["levels"]], [24, 7, 16, 17, 12, 70])
    book.sheet(t("caprep_sheet_weeks"), heading, [
        t("caprep_col_week"), t("caprep_col_from"), t("caprep_col_to"), t("caprep_col_mean"),
        t("caprep_col_lower"), t("caprep_col_upper")],
        [[w.week, day(w.first), day(w.last), round(w.mean, 1), round(w.lower, 1),
          round(w.upper, 1)] for w in found.weeks], [8, 12, 12, 12, 12, 12])
    book.sheet(t("caprep_sheet_units"), heading, [
        t("caprep_col_unit"), t("caprep_col_kind"), t("caprep_col_owner"),
        t("caprep_col_counted"), t("caprep_col_occupied"), t("caprep_col_available"),
        t("caprep_col_free"), t("caprep_col_pct"), t("caprep_col_peak"),
        t("caprep_col_peak_day"), t("caprep_col_upper")],
        [[x.beds.unit, t(KIND_KEYS[x.beds.kind]), municipality_label(x.beds.owner, found.names),
          i18n.moment(x.beds.counted_at, lang), x.beds.occupied, x.beds.available, x.beds.free,
          round(100.0 * x.beds.occupied / x.beds.available, 1) if x.beds.available > 0
          else None, _rounded(x.peak), day(x.peak_day), _rounded(x.upper)]
         for x in found.units], [26, 16, 20, 17, 10, 12, 8, 10, 12, 12, 10])
    book.sheet(t("caprep_sheet_free"), heading, [
        t("caprep_col_municipality"), t("caprep_col_occupied"), t("caprep_col_available"),
        t("caprep_col_free")],
        [[municipality_label(owner, found.names), o, a, f]
         for owner, o, a, f in short_term_free(found)], [24, 10, 12, 10])
    ov = found.overview

    def pressure(key: str, value: Callable[[Pressure], float | None]) -> float | None:
        known = ov.pressure.get(key)
        return _rounded(value(known), 2) if known else None

    book.sheet(t("caprep_sheet_seasons"), heading, [
        t("caprep_col_period"), t("caprep_col_from"), t("caprep_col_to"),
        t("caprep_col_meeting"), t("caprep_col_normal"), t("caprep_col_ratio"),
        t("caprep_col_forecast"), t("caprep_col_upper")],
        [[f"{t(SEASON_KEYS[p.kind])} {p.year}", day(p.start), day(p.end),
          day(p.meeting) or t("caprep_short_notice"), pressure(p.key, lambda x: x.normal),
          pressure(p.key, lambda x: x.ratio), pressure(p.key, lambda x: x.forecast_mean),
          pressure(p.key, lambda x: x.forecast_upper)] for p in ov.periods],
        [18, 12, 12, 14, 10, 10, 12, 10])
    return book.close()


def _rounded(value: float | None, decimals: int = 1) -> float | None:
    return None if value is None else round(value, decimals)



def render_for_mail(db: Database, settings: Settings, at: datetime,
                    lang: str = "nb") -> RenderedReport:
    """The report at ``at`` ready to mail (flyt.reports.render_for_mail, kind
    ``capacity``); LookupError when the store knew nothing then."""
    from flyt.capacity.escalation_settings import load_escalation_settings
    from flyt.reports import RenderedReport

    found = gather(db, at, settings.suppression_threshold, load_escalation_settings())
    if not has_data(found):
        raise LookupError(f"no census, escalation level or bed count at {at:%Y-%m-%d %H:%M}")
    document = to_html(found, lang)
    return RenderedReport("capacity", title(found, lang), document, documents.pdf(document),
                          file_name(found, lang))
