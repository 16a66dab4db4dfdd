"""`flyt plan show --format text`: the plan for a terminal, in the user's language."""

from __future__ import annotations

from flyt import i18n
from flyt.i18n import t
from flyt.plan.model import KINDS, Activity, Measure
from flyt.plan.view import PlanAt


def _status(status: str | None, lang: str) -> str:
    return t(f"plan_status_{status}", lang) if status else t("plan_status_none", lang)


def _period(x: Measure | Activity, lang: str) -> str:
    if not x.start and not x.end:
        return ""
    start = i18n.day(x.start, lang) if x.start else "…"
    end = i18n.day(x.end, lang) if x.end else "…"
    return f" ({start}–{end})"


def plan_text(view: PlanAt, lang: str = "nb") -> str:
    plan = view.plan
    lines = [t("plan_vision", lang) + ": " + plan.vision, "",
             t("plan_at", lang).format(day=i18n.day(view.at, lang)), ""]
    for kind in KINDS:
        lines.append(t(f"plan_kind_{kind}", lang))
        for e in (e for e in plan.elements if e.kind == kind):
            extra = ""
            if e.kpi is not None:
                extra = f" [KPI {e.kpi}: {_status(view.status(e.id), lang)}]"
            links = f" → {', '.join(e.links)}" if e.links else ""
            lines.append(f"  {e.id}  {e.text}{extra}{links}")
        lines.append("")
    lines.append(t("plan_measures", lang))
    for m in plan.measures:
        lines.append(f"  {m.id}  {m.name}{_period(m, lang)}  "
                     f"[{_status(view.status(m.id), lang)}]")
        for a in m.activities:
            done = f" ({t('plan_done', lang)})" if a.done else ""
            lines.append(f"    {a.id}  {a.name}{_period(a, lang)}{done}  "
                         f"[{_status(view.status(a.id), lang)}]")
    return "\n".join(lines) + "\n"
