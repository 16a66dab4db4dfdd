"""`flyt plan show --format text`: the plan for a terminal, in the user's language."""

from __future__ import annotations

from flyt import i18n
from flyt.i18n import t
from flyt.ingest.errors import Text
from flyt.plan.model import Activity, Measure
from flyt.plan.view import PlanAt

STATUS_WORDS = {"green": Text.of("plan_status_green"), "yellow": Text.of("plan_status_yellow"),
                "red": Text.of("plan_status_red"), None: Text.of("plan_status_none")}
KIND_HEADINGS = {"ressurs": Text.of("plan_kind_ressurs"),
                 "aktivitet": Text.of("plan_kind_aktivitet"),
                 "utfall": Text.of("plan_kind_utfall"),
                 "resultat": Text.of("plan_kind_resultat"), "effekt": Text.of("plan_kind_effekt")}


def _status(status: str | None, lang: str) -> str:
    return STATUS_WORDS[status](lang)


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
    for kind, heading in KIND_HEADINGS.items():
        lines.append(heading(lang))
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
