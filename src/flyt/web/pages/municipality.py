"""Kommunesiden: one municipality's KPIs against its region and the community, UKP days
per 1 000 inhabitants over time, and, for the municipality's own users only, its UKP
patients in hospital now (pseudonymous ids; every showing is audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from flyt.accounts import audit
from flyt.domain.codes import COMMUNITY_ID, KPIS
from flyt.domain.months import parse_moment
from flyt.domain.rates import per_1000, total_population
from flyt.engine import moments
from flyt.engine.snapshot import patients
from flyt.reports.data import MonthlyData
from flyt.store.db import Database
from flyt.web.deps import AppSettings, CurrentUser, Db, User, client_ip
from flyt.web.freshness import Memo
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import (
    Cutoff,
    Month,
    edition_name,
    figures,
    municipality_name,
    report_month,
)

router = APIRouter()
# The list for a minute and a municipality, until the next import (freshness); every
# showing is still audited.
_patients = Memo(64)
At = Annotated[str | None, Query(description="The moment of the patient list "
                                             "(YYYY-MM-DDTHH:MM). Default: now.")]


def _rate_series(data: MonthlyData, group_type: str, group_id: str, name: str,
                 population: int | None) -> dict:
    values = []
    for month in data.months:
        record = data.record(group_type, group_id, "alle", 1, month) or {}
        values.append({"month": month, "value_12m": record.get("value_12m"),
                       "rate_12m": per_1000(record.get("value_12m"), population),
                       "hidden_12m": bool(record.get("suppressed_12m"))})
    return {"group_type": group_type, "group_id": group_id, "name": name, "values": values}


def patient_list(request: Request, db: Database, user: User, code: str, at: str | None
                 ) -> dict:
    """The municipality's own UKP patients now: its own users only, audited each time."""
    if not user.own(code):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "only the municipality's own users see its patients")
    try:
        moment = parse_moment(at) if at else moments.now().replace(second=0, microsecond=0)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
    rows = _patients.get(db, (moment, code), lambda: patients(db, moment, code))
    audit.record(db, user, "patients.read", code, detail=f"{len(rows)} rows",
                 ip=client_ip(request))
    return {"at": moment.isoformat(timespec="minutes"), "count": len(rows), "rows": [
        {"patient_id": p.patient_id, "stay_id": p.stay_id, "location": p.location,
         "department": p.department, "since": p.since.isoformat(timespec="minutes"),
         "days_waited": p.days_waited, "utlokalisert": p.utlokalisert} for p in rows]}


@page(router, "/municipality/{code}", "municipality.html.j2", title="municipality_page")
def municipality(request: Request, code: str, user: CurrentUser, db: Db,
                 settings: AppSettings, cutoff: Cutoff, month: Month, at: At = None) -> dict:
    data = figures(db, settings, user, report_month(month, cutoff), cutoff)
    name = municipality_name(data, code)
    me = next(m for m in data.municipalities if m.code == code)
    region_population = total_population(m.population for m in data.in_region(me.region))
    community_population = total_population(m.population for m in data.municipalities)
    groups = (("municipality", code, me.population), ("region", me.region, region_population),
              ("community", COMMUNITY_ID, community_population))
    kpis = []
    for kpi in range(1, 7):
        row: dict = {"kpi": kpi, "name_nb": KPIS[kpi].name_nb, "name_en": KPIS[kpi].name_en}
        for group_type, group_id, _ in groups:
            record = data.record(group_type, group_id, "alle", kpi) or {}
            row[group_type] = {"value": record.get("value"), "value_12m": record.get("value_12m"),
                               "hidden": bool(record.get("suppressed")),
                               "hidden_12m": bool(record.get("suppressed_12m")),
                               "preliminary": bool(record.get("preliminary"))}
        kpis.append(row)
    days = {group_type: data.record(group_type, group_id, "alle", 1) or {}
            for group_type, group_id, _ in groups}
    rates = {group_type: per_1000(days[group_type].get("value_12m"), population)
             for group_type, _, population in groups}
    rates_hidden = {group_type: bool(record.get("suppressed_12m"))
                    for group_type, record in days.items()}
    return {
        "code": code, "name": name, "region": me.region, "population": me.population,
        "month": data.month_key, "cutoff": cutoff.isoformat(timespec="minutes"),
        "edition": edition_name(user), "kpis": kpis, "per_1000_12m": rates,
        "per_1000_12m_hidden": rates_hidden,
        "trend": [_rate_series(data, "municipality", code, name, me.population),
                  _rate_series(data, "community", COMMUNITY_ID, "community",
                               community_population)],
        "patients": patient_list(request, db, user, code, at) if user.own(code) else None,
    }


@page(router, "/municipality/{code}/patients", "patients.html.j2", title="patients_title")
def municipality_patients(request: Request, code: str, user: CurrentUser, db: Db,
                          at: At = None) -> dict:
    return {"code": code, **patient_list(request, db, user, code, at)}
