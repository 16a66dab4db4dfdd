"""Utvikling: one KPI over three years for the community and its regions (and any
municipalities asked for with `?compare=`), month by month or the rolling 12 months,
with the target line, and every municipality's latest figures beside each other."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from flyt.domain.codes import COMMUNITY_ID, KPIS
from flyt.reports.data import MonthlyData
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import Cutoff, Month, edition_name, figures, report_month

router = APIRouter()


def series(data: MonthlyData, group_type: str, group_id: str, name: str, sector: str,
           kpi: int) -> dict:
    values = []
    for month in data.months:
        record = data.record(group_type, group_id, sector, kpi, month) or {}
        values.append({"month": month, "value": record.get("value"),
                       "value_12m": record.get("value_12m"),
                       "hidden": bool(record.get("suppressed")),
                       "hidden_12m": bool(record.get("suppressed_12m")),
                       "preliminary": bool(record.get("preliminary"))})
    return {"group_type": group_type, "group_id": group_id, "name": name, "values": values}


@page(router, "/trends", "trends.html.j2", title="trends")
def trends(request: Request, user: CurrentUser, db: Db, settings: AppSettings,
           cutoff: Cutoff, month: Month,
           kpi: Annotated[int, Query(ge=1, le=6)] = 1,
           sector: Annotated[str, Query(pattern="^(somatikk|psykisk_helsevern|alle)$")] = "alle",
           compare: Annotated[list[str], Query(description="Municipalities to add (codes)",
                                               max_length=8)] = []) -> dict:  # noqa: B006
    data = figures(db, settings, user, report_month(month, cutoff), cutoff)
    sector = "alle" if kpi == 6 else sector  # KPI 6 is municipal: both sectors only
    names = {m.code: m.name for m in data.municipalities}
    lines = [series(data, "community", COMMUNITY_ID, "community", sector, kpi)]
    lines += [series(data, "region", r, r, sector, kpi) for r in data.regions]
    lines += [series(data, "municipality", c, names[c], sector, kpi)
              for c in dict.fromkeys(compare) if c in names]
    goal = data.goal(kpi, sector)
    table = []
    for m in data.municipalities:
        record = data.record("municipality", m.code, sector, kpi) or {}
        table.append({"code": m.code, "name": m.name, "region": m.region,
                      "value": record.get("value"), "value_12m": record.get("value_12m"),
                      "hidden": bool(record.get("suppressed")),
                      "hidden_12m": bool(record.get("suppressed_12m"))})
    return {
        "month": data.month_key, "cutoff": cutoff.isoformat(timespec="minutes"),
        "cutoff_given": request.query_params.get("cutoff"),
        "edition": edition_name(user), "kpi": kpi, "name_nb": KPIS[kpi].name_nb,
        "name_en": KPIS[kpi].name_en, "measure": KPIS[kpi].measure.value,
        "better": KPIS[kpi].better.value, "sector": sector, "compare": list(compare),
        "target": goal.target if goal and goal.group_type == "community" else None,
        # KPI 1's target is a yearly sum: a month's line is a twelfth (said so in the label).
        "target_month": (goal.target / 12 if goal and kpi == 1 and goal.target else
                         goal.target if goal and goal.group_type == "community" else None),
        "series": lines, "municipalities": table,
        "municipality_options": [{"code": m.code, "name": m.name} for m in data.municipalities],
        "kpi_options": [{"kpi": k.number, "name_nb": k.name_nb, "name_en": k.name_en}
                        for k in KPIS.values()],
    }
