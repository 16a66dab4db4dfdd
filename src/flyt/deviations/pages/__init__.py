"""The deviations' pages and API (spec/deviations.md): each module has its own router;
`router` holds them all for flyt.web.app. Templates are in ../templates/pages, named
"deviations/<file>" (flyt.web.render's loader).

    reporting.py    /avvik/ny: the report form; /avvik/veileder: the guide
    cases.py        /avvik: the list (and .json); /avvik/{id}: a deviation, its steps
    attachments.py  /avvik/{id}/vedlegg: attachments up and down
    learning.py     /avvik/laering: learning points and measures; the incident analysis
    annual.py       /avvik/rapport: the annual report's numbers on the dashboard
    api.py          /api/avvik: the JSON API for machines (bearer tokens)

Every page acts through flyt.deviations.handling (checked and audited).
"""

from fastapi import APIRouter

from flyt.deviations.pages import annual, api, attachments, cases, learning, reporting

router = APIRouter()
# Fixed paths (/avvik/ny, /avvik/laering …) before /avvik/{id}.
for part in (reporting, learning, annual, attachments, api, cases):
    router.include_router(part.router)
