"""The capacity pages (docs/capacity.md, "The capacity pages"): each module has its own
router; ``router`` holds them all for flyt.web.app. Templates are in ../templates/pages,
named "capacity/<file>" (flyt.web.render's loader).

    overview.py  /kapasitet (and .json): the forecast, the level grid, the calendar,
                 the free beds
    accuracy.py  /kapasitet/treffsikkerhet (and .json): the forecast's backtest

Every signed-in user reads; who sees which exact figures is access.py's.
"""

from fastapi import APIRouter

from flyt.capacity.pages import accuracy, overview

router = APIRouter()
for part in (accuracy, overview):
    router.include_router(part.router)
