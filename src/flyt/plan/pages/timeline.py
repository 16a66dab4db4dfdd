"""The measures and their activities on a time axis (a Gantt chart):

    GET /tiltaksplan/tidslinje        bars per month, coloured by the computed status
                                      with its word, a line at ?at= (default today);
                                      what has no start and end is listed apart
    GET /tiltaksplan/tidslinje.json   the same rows, the axis and the undated items

Bars are placed in percent of the axis (CSS), so the chart needs no script and
scales; on a phone the axis scrolls sideways with the names kept in view.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from flyt import i18n
from flyt.domain.months import add_months
from flyt.plan.model import Activity, Measure
from flyt.plan.pages.common import BadInput, iso, refused, status_view, the_plan
from flyt.plan.view import PlanAt
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.render import language, render_page

router = APIRouter()


def _items(view: PlanAt) -> list[tuple[Measure | Activity, str | None]]:
    """Every measure, each followed by its activities: (item, its measure's id)."""
    out: list[tuple[Measure | Activity, str | None]] = []
    for m in view.plan.measures:
        out.append((m, None))
        out += [(a, m.id) for a in m.activities]
    return out


def axis(view: PlanAt) -> tuple[date, date]:
    """Whole months from the first start to the last end, today's month included."""
    days = [view.at] + [d for x, _ in _items(view) if x.start and x.end
                        for d in (x.start, x.end)]
    first = min(days).replace(day=1)
    last = add_months(max(days).replace(day=1), 1)  # the day after the last month
    return first, last


def _share(day: date, first: date, last: date) -> float:
    return round(100 * (day - first).days / (last - first).days, 3)


def timeline_data(view: PlanAt, lang: str) -> dict[str, Any]:
    first, last = axis(view)
    months = []
    month = first
    while month < last:
        short = i18n.locale(lang).months["stand-alone"]["abbreviated"][month.month]
        months.append({"month": month.isoformat(), "name": i18n.month(month, lang),
                       "label": f"{short} {month.year}", "left": _share(month, first, last)})
        month = add_months(month, 1)
    rows, undated = [], []
    for x, parent in _items(view):
        row = {"id": x.id, "measure": parent, "name": x.name, "start": iso(x.start),
               "end": iso(x.end), "computed_status": view.status(x.id)}
        if x.start and x.end:
            end = x.end + timedelta(days=1)  # the end day is part of the bar
            rows.append({**row, "left": _share(x.start, first, last),
                         "width": max(_share(end, first, last) - _share(x.start, first, last),
                                      0.5)})
        else:
            undated.append(row)
    return {"at": view.at.isoformat(), "start": first.isoformat(),
            "end": (last - timedelta(days=1)).isoformat(), "months": months,
            "today": _share(view.at, first, last), "rows": rows, "undated": undated}


@router.get("/tiltaksplan/tidslinje.json", name="plan_timeline_json")
def timeline_json(request: Request, user: CurrentUser, db: Db,
                  settings: AppSettings) -> Response:
    try:
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400, as_json=True)
    return JSONResponse(timeline_data(view, language(request)))


@router.get("/tiltaksplan/tidslinje", name="plan_timeline")
def timeline(request: Request, user: CurrentUser, db: Db, settings: AppSettings) -> Response:
    lang = language(request)
    try:
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400)
    data = timeline_data(view, lang)
    for row in data["rows"] + data["undated"]:
        row["status"] = status_view(row["computed_status"], lang)
    return render_page(request, "plan/timeline.html.j2", {**data, "at_day": view.at},
                       title="plan_pages_timeline_title")
