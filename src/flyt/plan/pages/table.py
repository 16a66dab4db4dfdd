"""The plan's measures and their activities as a table:

    GET /tiltaksplan        filtered by ?status= (computed: green, yellow, red, none),
                            ?owner= (responsible), ?priority=, ?late=1, at ?at=
    GET /tiltaksplan.json   the same rows (flyt.plan.exchange.document's fields, each
                            item with `computed_status`, `late` and `matches`)

A measure is listed when it or one of its activities passes the filters; its
activities are those that pass (all of them when no filter is set), so a matching
activity is always seen under its measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from flyt.ingest.errors import Text
from flyt.plan.exchange import document
from flyt.plan.model import PRIORITIES, Activity, Measure
from flyt.plan.pages.common import (
    FIELD_WORDS,
    BadInput,
    is_late,
    refused,
    status_view,
    the_plan,
    words,
)
from flyt.plan.view import PlanAt
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.render import language, render_page

router = APIRouter()

STATUS_CHOICES = ("green", "yellow", "red", "none")
MAX_OWNER = 200  # the longest `responsible` the plan holds (model.MAX_LENGTH)


@dataclass(frozen=True)
class Filters:
    status: str = ""
    owner: str = ""
    priority: str = ""
    late: bool = False

    def any(self) -> bool:
        return bool(self.status or self.owner or self.priority or self.late)

    def passes(self, x: Measure | Activity, view: PlanAt) -> bool:
        computed = view.status(x.id) or "none"
        return ((not self.status or computed == self.status)
                and (not self.owner or x.responsible == self.owner)
                and (not self.priority or x.priority == self.priority)
                and (not self.late or is_late(x, view.at)))


def parse_filters(query: Mapping[str, str]) -> Filters:
    given = {k: (query.get(k) or "").strip() for k in ("status", "owner", "priority", "late")}
    for name, allowed in (("status", STATUS_CHOICES), ("priority", PRIORITIES)):
        if given[name] and given[name] not in allowed:
            raise BadInput(Text.of("plan_bad_value", value=given[name][:40],
                                   allowed=", ".join(allowed)), name)
    if len(given["owner"]) > MAX_OWNER:
        raise BadInput(Text.of("plan_too_long", field=FIELD_WORDS["responsible"],
                                       limit=MAX_OWNER), "owner")
    return Filters(given["status"], given["owner"], given["priority"],
                   given["late"].casefold() in ("1", "on", "true", "ja", "yes"))


def rows(view: PlanAt, filters: Filters) -> list[tuple[Measure, bool, list[Activity]]]:
    """(measure, whether it passes itself, its activities that pass)."""
    out = []
    for m in view.plan.measures:
        activities = [a for a in m.activities if filters.passes(a, view)]
        matches = filters.passes(m, view)
        if matches or activities:
            out.append((m, matches, list(m.activities) if not filters.any() else activities))
    return out


def table_data(view: PlanAt, filters: Filters) -> dict[str, Any]:
    """The JSON twin: the plan document's measures (with computed statuses) that pass."""
    doc = document(view.plan, view.computed)
    by_id = {m["id"]: m for m in doc["measures"]}
    measures = []
    for m, matches, activities in rows(view, filters):
        acts = {a["id"]: a for a in by_id[m.id]["activities"]}
        measures.append({**by_id[m.id], "late": is_late(m, view.at), "matches": matches,
                         "activities": [{**acts[a.id], "late": is_late(a, view.at),
                                         "matches": filters.passes(a, view)}
                                        for a in activities]})
    return {"at": view.at.isoformat(),
            "filters": {"status": filters.status or None, "owner": filters.owner or None,
                        "priority": filters.priority or None, "late": filters.late},
            "measures": measures}


def owners(view: PlanAt) -> list[str]:
    names = {m.responsible for m in view.plan.measures}
    names |= {a.responsible for m in view.plan.measures for a in m.activities}
    return sorted(n for n in names if n)


@router.get("/tiltaksplan.json", name="plan_table_json")
def plan_table_json(request: Request, user: CurrentUser, db: Db,
                    settings: AppSettings) -> Response:
    try:
        filters = parse_filters(request.query_params)
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400, as_json=True)
    return JSONResponse(table_data(view, filters))


def _item(x: Measure | Activity, at: date, matches: bool) -> dict[str, Any]:
    return {"item": x, "late": is_late(x, at), "matches": matches}


@router.get("/tiltaksplan", name="plan_table")
def plan_table(request: Request, user: CurrentUser, db: Db,
               settings: AppSettings) -> Response:
    lang, query = language(request), request.query_params
    try:
        filters = parse_filters(query)
        view = the_plan(db, settings, query)
    except BadInput as exc:
        return refused(request, exc, 400)
    shown = [{**_item(m, view.at, matches),
              "status": status_view(view.status(m.id), lang),
              "activities": [{**_item(a, view.at, True),
                              "status": status_view(view.status(a.id), lang)}
                             for a in activities]}
             for m, matches, activities in rows(view, filters)]
    return render_page(request, "plan/table.html.j2", {
        "at": view.at, "measures": shown, "filters": filters, "owners": owners(view),
        "choices": {"status": STATUS_CHOICES, "priority": PRIORITIES}, "words": words(lang),
        "query": {k: query.get(k, "") for k in ("status", "owner", "priority", "late", "at")},
        "json_query": str(request.url.query)}, title="plan_pages_table_title")
