"""The dashboard's pages and who may open them (issue 5), for the tests to walk."""

from __future__ import annotations

OWN = "5031"  # Malvik: the municipality user's own municipality
OTHER = "5028"  # Melhus: someone else's

# (route as FastAPI names it, the path the tests open)
OVERVIEW = ("/", "/")
TRENDS = ("/trends", "/trends")
MUNICIPALITY = ("/municipality/{code}", f"/municipality/{OWN}")
OWN_PATIENTS = ("/municipality/{code}/patients", f"/municipality/{OWN}/patients")
OTHER_PATIENTS = ("/municipality/{code}/patients", f"/municipality/{OTHER}/patients")
SNAPSHOT = ("/snapshot", "/snapshot")
DATA = ("/data", "/data")
REPORTS = ("/reports", "/reports")
AUDIT = ("/admin/audit", "/admin/audit")
USERS = ("/admin/users", "/admin/users")
# The action plan (issue 13): read by every signed-in role; T1 is a measure of the
# default plan.
PLAN_TABLE = ("/tiltaksplan", "/tiltaksplan")
PLAN_TOC = ("/tiltaksplan/forandringsteori", "/tiltaksplan/forandringsteori")
PLAN_TIMELINE = ("/tiltaksplan/tidslinje", "/tiltaksplan/tidslinje")
PLAN_ITEM = ("/tiltaksplan/{item_id}", "/tiltaksplan/T1")
PLAN = [PLAN_TABLE, PLAN_TOC, PLAN_TIMELINE, PLAN_ITEM]
# Capacity (issue 14): the page and the municipalities' escalation plans, read by every
# signed-in role (the backtest page is left out: its twin answers 202 while it computes).
CAPACITY = ("/kapasitet", "/kapasitet")
CAPACITY_PLANS = ("/kapasitet/beredskapsplaner", "/kapasitet/beredskapsplaner")
CAPACITY_PLAN = ("/kapasitet/beredskapsplaner/{kommune}", f"/kapasitet/beredskapsplaner/{OWN}")
# The what-if page (issue 15): admins and analysts only (the model reads patient-level
# stays and its municipal figures are exact).
WHAT_IF = ("/hva-om", "/hva-om")
SHARED = [OVERVIEW, TRENDS, MUNICIPALITY, SNAPSHOT, REPORTS, *PLAN, CAPACITY, CAPACITY_PLANS,
          CAPACITY_PLAN]

# What each role may open. A municipality's figures are for everyone (suppressed for
# readers); its patient list only for its own users; uploading data for the hospital;
# the audit log and the users for administrators.
MAY_SEE = {
    "admin": [*SHARED, DATA, WHAT_IF, AUDIT, USERS],
    "analyst": [*SHARED, DATA, WHAT_IF],
    "municipality": [*SHARED, OWN_PATIENTS],
    "reader": SHARED,
}
# ... and what it is refused (403), HTML and JSON alike.
REFUSED = {
    "admin": [OWN_PATIENTS],
    "analyst": [OWN_PATIENTS, AUDIT, USERS],
    "municipality": [DATA, OTHER_PATIENTS, WHAT_IF, AUDIT, USERS],
    "reader": [DATA, OWN_PATIENTS, WHAT_IF, AUDIT, USERS],
}
# The main menu each role sees, as hrefs (the brand link and the language switch aside).
# The deviations (/avvik) for everyone who acts for an organisation: not the reader.
# The action plan (/tiltaksplan) and capacity (/kapasitet) for everyone; the what-if
# page (/hva-om) for admins and analysts.
MENU = {
    "admin": ["/trends", "/snapshot", "/data", "/reports", "/avvik", "/tiltaksplan",
              "/kapasitet", "/hva-om", "/admin/audit", "/admin/users"],
    "analyst": ["/trends", "/snapshot", "/data", "/reports", "/avvik", "/tiltaksplan",
                "/kapasitet", "/hva-om"],
    "municipality": ["/trends", f"/municipality/{OWN}", "/snapshot", "/reports", "/avvik",
                     "/tiltaksplan", "/kapasitet"],
    "reader": ["/trends", "/snapshot", "/reports", "/tiltaksplan", "/kapasitet"],
}


def json_twin(path: str) -> str:
    return "/index.json" if path == "/" else path + ".json"
