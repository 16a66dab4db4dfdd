"""From received PLO messages to stays and UKP periods (source "plo").

Every run derives the records anew from all applied messages, so the result
depends on which messages were received, never on the order they came in.
The rules (docs/plo.md says why):

- *innlagt* opens a stay; its id is derived from the patient and the admission
  time. Two messages for the same patient and admission time are one stay.
- Other events belong to the patient's stay with the admission time the message
  repeats (utskrivningsklar and avmelding carry it; same date when one side has
  no time of day), else to the latest stay admitted at or before the event.
  An event with no such stay is pending: kept and counted, and joined as soon as
  its innlagt message arrives.
- Within a stay, messages are taken in the order the hospital wrote them
  (GenDate, else the event time): *utskrivningsklar* opens a UKP period, a firm
  one replaces an estimate (Anslag=true) in the period still open; *avmelding*
  closes it (a period withdrawn before its estimated start never began);
  *utskrevet* ends the stay (destination from code list 8408, state 2 = `dod`);
  *dødsfall* ends an open stay with `dod`. Events after the end are ignored.
- Municipality: the receiver's, from `flyt plo receivers`. Sector: psykisk
  helsevern when the sender's or unit's names say so (psyk…, DPS, BUP), else
  somatikk. Admission type: akutt, unless those names say planned (planlagt,
  elektiv): the messages have no field for either.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from flyt.domain.identity import mask_national_ids
from flyt.engine import compute as engine
from flyt.engine import moments
from flyt.ingest.importer import import_table
from flyt.plo.fields import APPLIED
from flyt.store import schema, turns
from flyt.store.db import Database
from flyt.store.records import delete_missing

SOURCE = "plo"
TYPE_ORDER = {"LOG_INNLAGT": 0, "LOG_UTSKRIVNINGSKLAR": 1, "LOG_AVMELDING": 2,
              "LOG_UTSKREVET": 3, "LOG_DOD": 4}
# Code list 8408 (Sted), UtskrevetTil/UtTil → spec destinations. Only code 1 occurs in
# the standard's material ("Bosted/arbeidssted", "Vanlig bosted, arbeidssted m.v.");
# the rest of the list is not in ../shared/data/plo, so other codes count as `annet`.
DESTINATIONS_8408 = {"1": "hjem"}
DEAD_STATE = "2"  # code list 8431 Uttilstand: 2 = død
MENTAL_HEALTH_WORDS = ("psyk", "dps", "bup")
PLANNED_WORDS = ("planlagt", "elektiv")

# Annotated: mypy joins pyarrow-stubs' generic type classes (pa.string(), pa.int32())
# to object, which pa.schema does not take.
_STAY_FIELDS: list[tuple[str, pa.DataType]] = [
    ("stay_id", pa.string()), ("patient_id", pa.string()), ("municipality", pa.string()),
    ("sector", pa.string()), ("admission_type", pa.string()),
    ("admitted_at", pa.timestamp("us")), ("ready_at", pa.timestamp("us")),
    ("discharged_at", pa.timestamp("us")), ("discharge_destination", pa.string()),
    ("location", pa.string()), ("department", pa.string()), ("birth_year", pa.int32()),
    ("sex", pa.string()), ("frailty_score", pa.int32()),
]
STAY_SCHEMA = pa.schema(_STAY_FIELDS)
_PERIOD_FIELDS: list[tuple[str, pa.DataType]] = [
    ("stay_id", pa.string()), ("ready_from", pa.timestamp("us")), ("ready_to", pa.timestamp("us"))]
PERIOD_SCHEMA = pa.schema(_PERIOD_FIELDS)


@dataclass
class Period:
    ready_from: datetime
    ready_to: datetime | None
    estimate: bool


@dataclass
class Stay:
    stay_id: str
    record: dict[str, Any]
    periods: list[Period] = field(default_factory=list)
    open: Period | None = None


@dataclass
class ReplayResult:
    stays: int = 0
    periods: int = 0
    pending: int = 0  # events whose stay is not known (yet)
    ignored: int = 0  # events after their stay ended
    changed: int = 0  # records written or removed


def replay_messages(db: Database, *, recompute: bool = False) -> ReplayResult:
    """Derive stays and periods from every applied message and replace the previous
    replay in the store (the KPIs are computed when next asked for; ``recompute``: now).

    One replay at a time on a store: two at once (the watcher of `flyt serve` and another
    process's, on PostgreSQL) would each read the messages, and the one that read fewer
    could write last and remove what the other had just written."""
    with turns.one_at_a_time(db, "plo replay"):
        return _replay(db, recompute=recompute)


def _replay(db: Database, *, recompute: bool) -> ReplayResult:
    rows = load_messages(db)
    result = ReplayResult()
    stays = derive(rows, result)
    stay_table, period_table = to_tables(stays)
    result.stays, result.periods = stay_table.num_rows, period_table.num_rows
    with db.engine.begin() as conn:
        result.changed += delete_missing(conn, "ukp-periods", period_table, source=SOURCE)
        result.changed += delete_missing(conn, "stays", stay_table, source=SOURCE)
    for kind, table in (("stays", stay_table), ("ukp-periods", period_table)):
        if table.num_rows:
            report = import_table(db, kind, table, source=SOURCE, file_name="(plo replay)",
                                  recompute=False)
            if report.status != "ok":
                raise ValueError(f"the PLO replay could not write {kind}: {report.message}; "
                                 + "; ".join(e.reason for e in report.errors[:3]))
            result.changed += report.new + report.updated + report.removed
    if recompute and result.changed:
        engine.compute(db, moments.default_cutoff(db))
    return result


def load_messages(db: Database) -> list[dict[str, Any]]:
    m, r = schema.plo_messages, schema.plo_receivers
    query = (sa.select(m.c.msg_type, m.c.patient_key, m.c.gen_date, m.c.event_at,
                       m.c.admitted_at, m.c.ready_at, m.c.ready_estimate, m.c.deregistered_at,
                       m.c.discharged_at, m.c.died_at, m.c.discharged_to,
                       m.c.discharge_state, m.c.sector_hint, m.c.department, m.c.birth_year,
                       m.c.sex, m.c.content_digest, r.c.municipality)
             .select_from(m.outerjoin(r, r.c.her_id == m.c.receiver_her_id))
             .where(m.c.status == APPLIED, m.c.send_status.in_(("N", "A", "M"))))
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def derive(rows: list[dict[str, Any]], result: ReplayResult) -> list[Stay]:
    by_patient: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["municipality"] is None or row["event_at"] is None:
            result.pending += 1  # its receiver is no longer mapped
            continue
        by_patient[row["patient_key"]].append(row)
    stays: list[Stay] = []
    for patient_key in sorted(by_patient):
        stays += patient_stays(patient_key, by_patient[patient_key], result)
    return stays


def order(row: dict[str, Any]) -> tuple:
    return (row["gen_date"] or row["event_at"], TYPE_ORDER[row["msg_type"]],
            row["event_at"], row["content_digest"])


def patient_stays(patient_key: str, rows: list[dict[str, Any]],
                  result: ReplayResult) -> list[Stay]:
    opened: dict[datetime, Stay] = {}
    for row in sorted((r for r in rows if r["msg_type"] == "LOG_INNLAGT"),
                      key=lambda r: (r["admitted_at"], r["content_digest"])):
        if row["admitted_at"] not in opened:
            opened[row["admitted_at"]] = new_stay(patient_key, row)
    admissions = sorted(opened)
    for row in sorted((r for r in rows if r["msg_type"] != "LOG_INNLAGT"), key=order):
        stay = find_stay(opened, admissions, row)
        if stay is None:
            result.pending += 1
        elif not apply_event(stay, row):
            result.ignored += 1
    return [opened[a] for a in admissions]


def new_stay(patient_key: str, row: dict[str, Any]) -> Stay:
    admitted = row["admitted_at"]
    digest = hashlib.sha256(f"{patient_key}|{admitted.isoformat()}".encode()).hexdigest()
    hint = (row["sector_hint"] or "").lower()
    return Stay(f"plo-{digest[:24]}", {
        "patient_id": patient_key, "municipality": row["municipality"],
        "sector": "psykisk_helsevern" if any(w in hint for w in MENTAL_HEALTH_WORDS)
        else "somatikk",
        "admission_type": "planlagt" if any(w in hint for w in PLANNED_WORDS) else "akutt",
        "admitted_at": admitted, "ready_at": None, "discharged_at": None,
        "discharge_destination": None, "location": None,
        # Masked when the message was received; again here for messages kept before that.
        "department": mask_national_ids(row["department"])[0] if row["department"] else None,
        "birth_year": row["birth_year"], "sex": row["sex"], "frailty_score": None,
    })


def find_stay(opened: dict[datetime, Stay], admissions: list[datetime],
              row: dict[str, Any]) -> Stay | None:
    admitted = row["admitted_at"]
    if admitted is not None:
        if admitted in opened:
            return opened[admitted]
        same_day = [a for a in admissions if a.date() == admitted.date()]
        return opened[same_day[-1]] if same_day else None
    before = [a for a in admissions if a <= row["event_at"]]
    return opened[before[-1]] if before else None


def apply_event(stay: Stay, row: dict[str, Any]) -> bool:
    """Apply one event to its stay; False when the stay had already ended."""
    record = stay.record
    if record["discharged_at"] is not None:
        return False
    kind = row["msg_type"]
    if kind == "LOG_UTSKRIVNINGSKLAR":
        estimate = bool(row["ready_estimate"])
        if stay.open is None:
            stay.open = Period(row["ready_at"], None, estimate)
            stay.periods.append(stay.open)
        elif stay.open.estimate:  # a firm time (or a newer estimate) replaces an estimate
            stay.open.ready_from, stay.open.estimate = row["ready_at"], estimate
    elif kind == "LOG_AVMELDING":
        if stay.open is not None:
            stay.open.ready_to, stay.open = row["deregistered_at"], None
        elif row["ready_at"] is not None:  # its utskrivningsklar message never came
            stay.periods.append(Period(row["ready_at"], row["deregistered_at"], False))
    elif kind == "LOG_UTSKREVET":
        record["discharged_at"] = row["discharged_at"]
        record["discharge_destination"] = (
            "dod" if row["discharge_state"] == DEAD_STATE
            else DESTINATIONS_8408.get(row["discharged_to"] or "", "annet"))
    elif kind == "LOG_DOD":
        record["discharged_at"], record["discharge_destination"] = row["died_at"], "dod"
    return True


def finished_periods(stay: Stay) -> list[Period]:
    """The stay's periods within it: clamped to admission and discharge, and without
    those that never began (withdrawn before, or discharged before, their start)."""
    admitted, discharged = stay.record["admitted_at"], stay.record["discharged_at"]
    kept: dict[datetime, Period] = {}
    for p in stay.periods:
        start = max(p.ready_from, admitted)
        end = min(p.ready_to, discharged) if p.ready_to and discharged else p.ready_to
        if (end is not None and end < start) or (discharged is not None and start > discharged):
            continue
        if start not in kept:
            kept[start] = Period(start, end, p.estimate)
    return [kept[k] for k in sorted(kept)]


def to_tables(stays: list[Stay]) -> tuple[pa.Table, pa.Table]:
    stay_rows, period_rows = [], []
    for stay in stays:
        periods = finished_periods(stay)
        stay.record["ready_at"] = periods[0].ready_from if periods else None
        stay_rows.append({"stay_id": stay.stay_id, **stay.record})
        period_rows += [{"stay_id": stay.stay_id, "ready_from": p.ready_from,
                         "ready_to": p.ready_to} for p in periods]
    return (pa.Table.from_pylist(stay_rows, schema=STAY_SCHEMA),
            pa.Table.from_pylist(period_rows, schema=PERIOD_SCHEMA))
