"""The capacity area's pages (docs/capacity.md "Escalation plans"): each module has its
own router; `router` holds them all for flyt.web.app. Templates are in
../templates/pages, named "capacity/<file>" (flyt.web.render's loader).

    plans.py   /kapasitet/beredskapsplaner (and .json): every municipality's plan or
               none; /kapasitet/beredskapsplaner/{kommune} (and .json): one plan,
               printable, and its edit form for that municipality's own users
"""

from fastapi import APIRouter

from flyt.capacity.pages import plans

router = APIRouter()
router.include_router(plans.router)
