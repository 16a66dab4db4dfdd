"""The Theory of Change (flyt.plan.diagram):

    GET /tiltaksplan/forandringsteori        the picture and its outline
    GET /tiltaksplan/forandringsteori.json   the elements with their computed status
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup

from flyt.plan import diagram
from flyt.plan.pages.common import BadInput, refused, status_view, the_plan
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.render import language, render_page

router = APIRouter()


@router.get("/tiltaksplan/forandringsteori.json", name="plan_toc_json")
def toc_json(request: Request, user: CurrentUser, db: Db,
             settings: AppSettings) -> Response:
    try:
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400, as_json=True)
    return JSONResponse({"at": view.at.isoformat(), "vision": view.plan.vision,
                         "columns": [asdict(c) for c in diagram.outline(
                             view, language(request))]})


@router.get("/tiltaksplan/forandringsteori", name="plan_toc")
def toc(request: Request, user: CurrentUser, db: Db, settings: AppSettings) -> Response:
    lang = language(request)
    try:
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400)
    columns = [{"kind": c.kind, "heading": c.heading, "items": [
        {**asdict(i), "status_view": status_view(i.status, lang)} for i in c.items]}
        for c in diagram.outline(view, lang)]
    # The SVG is built from escaped text only (flyt.plan.diagram), so it is safe as markup.
    return render_page(request, "plan/toc.html.j2",
                       {"at": view.at, "vision": view.plan.vision, "columns": columns,
                        "svg": Markup(diagram.svg(view, lang))},  # noqa: S704
                       title="plan_pages_toc_title")
