"""The capacity area's pages (docs/capacity.md, "The capacity pages" and "Escalation
plans"): each module has its own router; ``router`` holds them all for flyt.web.app.
Templates are in ../templates/pages, named "capacity/<file>" (flyt.web.render's loader).

    overview.py  /kapasitet (and .json): the forecast, the level grid, the calendar,
                 the free beds
    accuracy.py  /kapasitet/treffsikkerhet (and .json): the forecast's backtest
    plans.py     /kapasitet/beredskapsplaner (and .json): every municipality's plan or
                 none; /kapasitet/beredskapsplaner/{kommune} (and .json): one plan,
                 printable, and its edit form for that municipality's own users

Every signed-in user reads; who sees which exact figures is access.py's.
"""

from fastapi import APIRouter

from flyt.capacity.pages import accuracy, overview, plans

router = APIRouter()
for part in (accuracy, overview, plans):
    router.include_router(part.router)
