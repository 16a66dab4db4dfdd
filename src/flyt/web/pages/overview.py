"""Oversikt: the six KPI tiles with their status, a small trend and goal progress,
for somatics or mental health (`?sector=`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from flyt.domain.codes import COMMUNITY_ID, KPIS, SECTORS
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import Cutoff, Month, edition_name, figures, report_month

router = APIRouter()
TREND_MONTHS = 13
Sector = Annotated[str, Query(pattern="^(somatikk|psykisk_helsevern)$",
                              description="somatikk or psykisk_helsevern")]


@page(router, "/", "overview.html.j2", title="overview")
def overview(request: Request, user: CurrentUser, db: Db, settings: AppSettings,
             cutoff: Cutoff, month: Month,
             sector: Sector = "somatikk") -> dict:
    data = figures(db, settings, user, report_month(month, cutoff), cutoff)
    months = data.months[-TREND_MONTHS:]
    tiles = []
    for kpi in range(1, 7):
        tile_sector = "alle" if kpi == 6 else sector
        goal = data.goal(kpi, tile_sector)
        # The tile shows the goal's own group (KPI 6: the configured unit), so value,
        # target and achievement speak of the same thing; else the whole community.
        group = (goal.group_type, goal.group_id) if goal else ("community", COMMUNITY_ID)
        record = data.record(*group, tile_sector, kpi) or {}
        tiles.append({
            "kpi": kpi, "name_nb": KPIS[kpi].name_nb, "name_en": KPIS[kpi].name_en,
            "sector": tile_sector, "value": record.get("value"),
            "value_12m": record.get("value_12m"), "preliminary": bool(record.get("preliminary")),
            "hidden": bool(record.get("suppressed")),
            "hidden_12m": bool(record.get("suppressed_12m")),
            "target": goal.target if goal else None,
            "achievement": goal.achievement if goal else None,
            "goal_hidden": bool(goal and goal.hidden),
            "expected": goal.expected if goal else None, "status": goal.status if goal else None,
            "group_type": group[0], "group_id": group[1],
            "trend": [{"month": m, "value": (data.record(*group, tile_sector, kpi, m) or {})
                       .get("value"), "hidden": bool((data.record(*group, tile_sector, kpi, m)
                                                      or {}).get("suppressed"))}
                      for m in months],
        })
    return {"month": data.month_key, "cutoff": cutoff.isoformat(timespec="minutes"),
            "cutoff_given": request.query_params.get("cutoff"),
            "edition": edition_name(user), "sector": sector, "sectors": list(SECTORS),
            "tiles": tiles}
