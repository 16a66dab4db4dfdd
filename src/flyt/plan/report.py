"""The meeting report of the action plan (``flyt report plan``; docs/plan.md, "Meeting
report"): the status report ASU and the competence group read at a meeting, as HTML,
PDF and XLSX.

`gather` reads everything once, at a day `at` and since the last meeting `since`:

- the plan with every status by rule (flyt.plan.view.plan_at);
- each KPI effect's trend: the KPI's value in the `TREND_MONTHS` months up to the month
  the effect is judged by (the month before `at`'s, cut-off `at` 00:00), read from the
  KPI engine's stored results exactly as ``flyt kpi`` prints them (the month's value
  and the last 12 months', which the goal judges) with the goal's status each month as
  ``flyt goals`` gives it — for the goal the effect is judged by (flyt.plan.effects);
- what changed since `since`: every status and comment change kept in the history (who,
  when, from → to), and the items whose status by rule is not what it was at `since`
  (the set statuses then taken back from the history, the rules applied at `since`);
- what is late: activities not done after their end, measures past their end with an
  activity not done; and what is red.

`context` formats it for the template (dates dd.mm.yyyy, decimal comma); `to_xlsx`
writes the same as sheets, numbers as numbers and text as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from flyt import i18n
from flyt.config import GoalSettings, GoalSpec
from flyt.domain import clock
from flyt.domain.codes import KPIS
from flyt.domain.months import add_months
from flyt.engine import compute
from flyt.engine.read import goal_rows, kpi_rows
from flyt.ingest.errors import Text
from flyt.output import documents
from flyt.plan import diagram
from flyt.plan.effects import evaluated_month, goal_for
from flyt.plan.model import Activity, Element, Measure, Plan
from flyt.plan.settings import PlanSettings
from flyt.plan.storage import Change, history
from flyt.plan.text import STATUS_WORDS
from flyt.plan.view import PlanAt, computed_statuses, plan_at
from flyt.store.db import Database

TREND_MONTHS = 6
# Words looked up when said (flyt.ingest.errors.Text), so each key is written out here.
PRIORITIES = {"hoy": Text.of("planrep_priority_hoy"), "middel": Text.of("planrep_priority_middel"),
              "lav": Text.of("planrep_priority_lav")}
SCOPES = {"stort": Text.of("planrep_scope_stort"), "middels": Text.of("planrep_scope_middels"),
          "lite": Text.of("planrep_scope_lite")}
GUIDE = {"green": Text.of("planrep_guide_green"), "yellow": Text.of("planrep_guide_yellow"),
         "red": Text.of("planrep_guide_red")}
ITEM_TYPES = {"measure": Text.of("planrep_type_measure"),
              "activity": Text.of("planrep_type_activity")}
FIELDS = {"status": Text.of("planrep_field_status"), "comment": Text.of("planrep_field_comment")}


@dataclass(frozen=True)
class TrendPoint:
    """One month of an effect's KPI, as `flyt kpi` and `flyt goals` give it."""

    month: date
    value: float | None  # the month's value
    value_12m: float | None  # the last 12 months': what the goal judges
    preliminary: bool
    status: str | None  # the goal's status that month


@dataclass(frozen=True)
class EffectTrend:
    element: Element
    goal: GoalSpec | None  # None: no goal configured for the KPI
    target: float | None
    status: str | None  # the effect's status (view.computed)
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class Moved:
    """A measure or activity whose status by rule differs from the one at `since`."""

    item: Measure | Activity
    measure: Measure
    before: str | None
    now: str | None


@dataclass(frozen=True)
class Late:
    item: Measure | Activity
    measure: Measure
    days: int  # days after its end


@dataclass(frozen=True)
class Figures:
    view: PlanAt
    since: date
    made: datetime
    effects: tuple[EffectTrend, ...]
    changes: tuple[Change, ...]  # the history since `since`, oldest first
    moved: tuple[Moved, ...]
    late: tuple[Late, ...]
    red: tuple[tuple[Measure | Activity, Measure], ...]  # (item, its measure)
    red_after_days: int


def items(plan: Plan) -> Iterator[tuple[Measure | Activity, Measure]]:
    """Every measure and activity with its measure, in the plan's order."""
    for m in plan.measures:
        yield m, m
        for a in m.activities:
            yield a, m


# --- gathering --------------------------------------------------------------------


def trends(db: Database, view: PlanAt, goals: GoalSettings) -> tuple[EffectTrend, ...]:
    """Each KPI effect with the last TREND_MONTHS months of its goal's KPI."""
    effects = [e for e in view.plan.elements if e.kpi is not None]
    if not effects:
        return ()
    cutoff = datetime.combine(view.at, time())
    last = evaluated_month(view.at)
    months = [add_months(last, i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]
    compute.ensure(db, cutoff, goals)  # done by plan_at already; cheap when current
    values = {(r.month, r.kpi, r.sector, r.group_type, r.group_id): r
              for r in kpi_rows(db, cutoff, months[0], last)}
    statuses = {(g.month, g.kpi, g.sector, g.group_type, g.group_id): g
                for month in months for g in goal_rows(db, cutoff, month)}
    found = []
    for e in effects:
        assert e.kpi is not None
        goal = goal_for(e.kpi, goals)
        points: list[TrendPoint] = []
        target = None
        for month in months:
            if goal is None:
                break
            key = (f"{month:%Y-%m}", goal.kpi, goal.sector, goal.group_type, goal.group_id)
            row, judged = values.get(key), statuses.get(key)
            target = judged.target if judged is not None else target
            points.append(TrendPoint(
                month, row.value if row else None, row.value_12m if row else None,
                bool(row and row.preliminary), judged.status if judged else None))
        found.append(EffectTrend(e, goal, target, view.status(e.id), tuple(points)))
    return tuple(found)


def plan_then(plan: Plan, changes: list[Change]) -> Plan:
    """The plan with each set status as it was before `changes` (the history since a
    day): the `from` of an item's first status change since then."""
    before: dict[str, str | None] = {}
    for c in changes:
        if c.field == "status" and c.item_id not in before:
            before[c.item_id] = c.old

    def back(x: Any) -> Any:
        return replace(x, status=before[x.id]) if x.id in before else x

    return replace(plan, measures=tuple(
        replace(back(m), activities=tuple(back(a) for a in m.activities))
        for m in plan.measures))


def late_items(view: PlanAt) -> tuple[Late, ...]:
    """Activities not done after their end; measures past their end with an activity
    not done (a measure has no `done` of its own)."""
    found = []
    for x, m in items(view.plan):
        if x.end is None or view.at <= x.end:
            continue
        open_ = (not x.done) if isinstance(x, Activity) else any(
            not a.done for a in m.activities)
        if open_:
            found.append(Late(x, m, (view.at - x.end).days))
    return tuple(found)


def gather(db: Database, since: date, at: date, settings: PlanSettings, goals: GoalSettings,
           *, made: datetime | None = None) -> Figures:
    """Everything the report shows, read once (see the module's docstring)."""
    if since > at:
        raise ValueError("since is after at")
    view = plan_at(db, at, settings, goals)
    start = datetime.combine(since, time())
    end = datetime.combine(at + timedelta(days=1), time())
    changed = [c for c in history(db) if start <= c.changed_at < end]
    then = computed_statuses(plan_then(view.plan, changed), since, settings)
    moved = tuple(Moved(x, m, then.get(x.id), view.status(x.id)) for x, m in items(view.plan)
                  if then.get(x.id) != view.status(x.id))
    red = tuple((x, m) for x, m in items(view.plan) if view.status(x.id) == "red")
    return Figures(view, since, made or clock.now(), trends(db, view, goals), tuple(changed),
                   moved, late_items(view), red, settings.red_after_days)


# --- formatting -------------------------------------------------------------------


def kpi_value(kpi: int, value: float | None, lang: str) -> str:
    """A KPI's value as Flyt's reports show it: shares in per cent, with the KPI's own
    decimals; no value: the no-value mark."""
    spec = KPIS[kpi]
    shown = i18n.percent if spec.measure.value == "share" else i18n.number
    return shown(value, spec.decimals, lang)


def status_word(status: str | None, lang: str) -> str:
    return STATUS_WORDS[status](lang)


def period(x: Measure | Activity, lang: str) -> str:
    if not x.start and not x.end:
        return "–"
    return (f"{i18n.day(x.start, lang) if x.start else '…'} – "
            f"{i18n.day(x.end, lang) if x.end else '…'}")


def _word(words: dict[str, Text], code: str | None, lang: str) -> str:
    return words[code](lang) if code in words else "–"


def _item(x: Measure | Activity, view: PlanAt, lang: str) -> dict[str, Any]:
    return {"id": x.id, "name": x.name, "responsible": x.responsible or "–",
            "period": period(x, lang), "status": view.status(x.id),
            "status_word": status_word(view.status(x.id), lang),
            "set_status": status_word(x.status, lang) if x.status else "–",
            "comment": x.comment, "priority": _word(PRIORITIES, x.priority, lang),
            "scope": _word(SCOPES, x.scope, lang),
            "done": isinstance(x, Activity) and x.done}


def _goal_group(goal: GoalSpec | None, lang: str) -> str:
    if goal is None:
        return i18n.t("planrep_no_goal", lang)
    group = i18n.t("community", lang) if goal.group_type == "community" else goal.group_id
    return f"{group}, {i18n.t(goal.sector, lang)}"


def _effect(trend: EffectTrend, lang: str) -> dict[str, Any]:
    kpi = trend.element.kpi
    assert kpi is not None
    return {"id": trend.element.id, "text": trend.element.text, "kpi": kpi,
            "kpi_name": KPIS[kpi].name_nb if lang == "nb" else KPIS[kpi].name_en,
            "group": _goal_group(trend.goal, lang),
            "target": kpi_value(kpi, trend.target, lang), "status": trend.status,
            "status_word": status_word(trend.status, lang),
            "points": [{"month": i18n.month(p.month, lang),
                        "value": kpi_value(kpi, p.value, lang),
                        "value_12m": kpi_value(kpi, p.value_12m, lang),
                        "preliminary": p.preliminary, "status": p.status,
                        "status_word": status_word(p.status, lang)} for p in trend.points]}


def _names(plan: Plan) -> dict[str, str]:
    return {x.id: x.name for x, _ in items(plan)}


def _change(c: Change, names: dict[str, str], lang: str) -> dict[str, Any]:
    def shown(value: str | None) -> str:
        if c.field == "status":
            return status_word(value, lang) if value else "–"
        return value or "–"

    return {"when": i18n.moment(c.changed_at, lang),
            "who": c.changed_by or i18n.t("planrep_command_line", lang),
            "id": c.item_id, "name": names.get(c.item_id, i18n.t("planrep_removed", lang)),
            "type": _word(ITEM_TYPES, c.item_type, lang),
            "field": _word(FIELDS, c.field, lang),
            "old": shown(c.old), "new": shown(c.new), "is_status": c.field == "status",
            "old_status": c.old, "new_status": c.new}


def context(found: Figures, lang: str, picture: str = "") -> dict[str, Any]:
    """What the document shows, formatted in `lang`; `picture`: the Theory of Change as
    inline SVG (toc_diagram)."""
    view = found.view
    names = _names(view.plan)
    heading = i18n.t("planrep_title", lang)
    at, since = i18n.day(view.at, lang), i18n.day(found.since, lang)
    counts = {s: sum(1 for x, _ in items(view.plan) if view.status(x.id) == s)
              for s in ("green", "yellow", "red")}
    return dict(
        title=heading, footer=f"Flyt – {heading} – {at}",
        meta=i18n.t("planrep_meta", lang).format(at=at, since=since,
                                                 made=i18n.moment(found.made, lang)),
        diagram=picture,
        guide=[{"status": s, "word": status_word(s, lang),
                "text": GUIDE[s](lang)} for s in GUIDE],
        summary_note=i18n.t("planrep_summary_note", lang).format(days=found.red_after_days),
        summary=[{"status": s, "word": status_word(s, lang),
                  "count": i18n.number(n, 0, lang)} for s, n in counts.items()],
        effects=[_effect(t, lang) for t in found.effects],
        trend_note=i18n.t("planrep_trend_note", lang).format(
            month=i18n.month(evaluated_month(view.at), lang), cutoff=at),
        measures=[{**_item(m, view, lang),
                   "activities": [_item(a, view, lang) for a in m.activities]}
                  for m in view.plan.measures],
        changes=[_change(c, names, lang) for c in found.changes],
        moved=[{"id": x.item.id, "name": x.item.name, "measure": x.measure.name,
                "before": x.before, "before_word": status_word(x.before, lang),
                "now": x.now, "now_word": status_word(x.now, lang)} for x in found.moved],
        late=[{"id": x.item.id, "name": x.item.name, "measure": x.measure.name,
               "is_measure": isinstance(x.item, Measure),
               "end": i18n.day(x.item.end, lang) if x.item.end else "–",
               "days": i18n.number(x.days, 0, lang),
               "responsible": x.item.responsible or x.measure.responsible or "–",
               "status": view.status(x.item.id),
               "status_word": status_word(view.status(x.item.id), lang)} for x in found.late],
        red=[{"id": x.id, "name": x.name, "comment": x.comment,
              "responsible": x.responsible or m.responsible or "–"} for x, m in found.red],
        red_effects=[{"id": t.element.id, "text": t.element.text} for t in found.effects
                     if t.status == "red"],
        since=since, at=at)


def toc_diagram(view: PlanAt, lang: str) -> str:
    """The vision and the Theory of Change for page 1: the pages' picture
    (flyt.plan.diagram: inline SVG with a viewBox; statuses by colour, symbol and word)."""
    return diagram.svg(view, lang)


def to_html(found: Figures, lang: str = "nb") -> str:
    shown = context(found, lang, toc_diagram(found.view, lang))
    return documents.html("flyt.plan", "report/plan_report.html.j2", lang=lang,
                          t=lambda key: i18n.t(key, lang), title=shown["title"],
                          footer=shown["footer"], report=shown)


def to_pdf(found: Figures, lang: str = "nb") -> bytes:
    return documents.pdf(to_html(found, lang))


def to_xlsx(found: Figures, lang: str = "nb") -> bytes:
    """The report's tables as sheets (flyt.reports.workbook): numbers as numbers, every
    text as text (never a formula), dates as dd.mm.yyyy text like the plan's export."""
    from flyt.reports.workbook import Workbook

    def t(key: str) -> str:
        return i18n.t(key, lang)

    shown = context(found, lang)
    view, book = found.view, Workbook()
    heading = f"{shown['title']} – {shown['meta']}"
    effects: list[list[Any]] = []
    for trend in found.effects:
        head = [trend.element.id, trend.element.text, trend.element.kpi,
                _goal_group(trend.goal, lang), trend.target, status_word(trend.status, lang)]
        effects += [head + [i18n.month(p.month, lang), p.value, p.value_12m,
                            status_word(p.status, lang),
                            t("planrep_yes") if p.preliminary else None]
                    for p in trend.points] or [head]
    book.sheet(t("planrep_sheet_effects"), heading, [
        t("planrep_col_id"), t("planrep_col_effect"), "KPI", t("planrep_col_goal"),
        t("target"), t("status"), t("month"), t("month_value"), t("value_12m"),
        t("planrep_col_month_status"), t("preliminary")], effects,
        [8, 40, 6, 28, 10, 12, 16, 12, 12, 14, 10])
    book.sheet(t("planrep_sheet_measures"), heading, [
        t("planrep_col_type"), t("planrep_col_id"), t("planrep_col_measure"),
        t("planrep_col_name"), t("planrep_col_responsible"), t("planrep_col_start"),
        t("planrep_col_end"), t("planrep_col_priority"), t("planrep_col_scope"),
        t("planrep_col_done"), t("planrep_col_status"), t("planrep_col_set_status"),
        t("planrep_col_comment")], [
        [_word(ITEM_TYPES, "measure" if x is m else "activity", lang), x.id, m.id, x.name,
         x.responsible or None, i18n.day(x.start, lang) if x.start else None,
         i18n.day(x.end, lang) if x.end else None, _word(PRIORITIES, x.priority, lang),
         _word(SCOPES, x.scope, lang),
         (t("planrep_yes") if x.done else t("planrep_no")) if isinstance(x, Activity) else None,
         status_word(view.status(x.id), lang), status_word(x.status, lang) if x.status else None,
         x.comment or None] for x, m in items(view.plan)],
        [10, 8, 8, 44, 22, 11, 11, 9, 9, 7, 12, 12, 50])
    book.sheet(t("planrep_sheet_changes"), heading, [
        t("planrep_col_when"), t("planrep_col_who"), t("planrep_col_type"),
        t("planrep_col_id"), t("planrep_col_name"), t("planrep_col_field"),
        t("planrep_col_from"), t("planrep_col_to")],
        [[c["when"], c["who"], c["type"], c["id"], c["name"], c["field"], c["old"], c["new"]]
         for c in shown["changes"]], [16, 16, 10, 8, 40, 10, 30, 30])
    book.sheet(t("planrep_sheet_moved"), heading, [
        t("planrep_col_id"), t("planrep_col_name"), t("planrep_col_measure"),
        t("planrep_col_then").format(day=shown["since"]), t("planrep_col_now").format(
            day=shown["at"])],
        [[x["id"], x["name"], x["measure"], x["before_word"], x["now_word"]]
         for x in shown["moved"]], [8, 44, 40, 14, 14])
    book.sheet(t("planrep_sheet_late"), heading, [
        t("planrep_col_type"), t("planrep_col_id"), t("planrep_col_name"),
        t("planrep_col_measure"), t("planrep_col_responsible"), t("planrep_col_end"),
        t("planrep_col_days_late"), t("planrep_col_status")],
        [[_word(ITEM_TYPES, "measure" if isinstance(x.item, Measure) else "activity", lang),
          x.item.id, x.item.name, x.measure.name,
          x.item.responsible or x.measure.responsible or None,
          i18n.day(x.item.end, lang) if x.item.end else None, x.days,
          status_word(view.status(x.item.id), lang)] for x in found.late],
        [10, 8, 44, 40, 22, 11, 10, 12])
    return book.close()
