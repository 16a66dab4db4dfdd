"""The action plan's pages (spec/plan.md, docs/plan.md "Pages"): each module has its
own router; `router` holds them all for flyt.web.app. Templates are in
../templates/pages, named "plan/<file>" (flyt.web.render's loader).

    table.py     /tiltaksplan (and .json): measures and activities, filtered
    toc.py       /tiltaksplan/forandringsteori (and .json): the Theory of Change
    timeline.py  /tiltaksplan/tidslinje (and .json): the Gantt chart
    items.py     /tiltaksplan/{id} (and .json): one item, its history, its edit form

Every signed-in user reads; only User.edits_plan changes (items.py).
"""

from fastapi import APIRouter

from flyt.plan.pages import items, table, timeline, toc

router = APIRouter()
# Fixed paths (/tiltaksplan/tidslinje …) before /tiltaksplan/{id}.
for part in (table, toc, timeline, items):
    router.include_router(part.router)
