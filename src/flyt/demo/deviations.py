"""A year of synthetic samhandlingsavvik for the demo, between the packaged organisations
(src/flyt/reference/organisations.csv), with their workflow up to the demo's cut-off.

Where the shape comes from, honestly:

* Volume. Case 3/24 (seed 001, ASU 07.02.2024) presents the improvement group's
  "Årsrapport Samhandlingsavvik 2023" and its "avviksoversikt 2023", but the seed holds
  the case paper, not the report's tables: no counts, directions or category shares.
  The brief asks for "a few hundred per year"; the demo draws about `YEARLY` a year.
* Season. Seed 000 (kompetansegruppen's action plan) names the known seasonal peaks of
  the community: "Kjente sesongvariasjoner: påske, jul, sommer". The demo has more
  deviations in Easter week, the summer holidays (weeks 26–33) and around Christmas
  and New Year; the seeds say nothing about early July in particular, so neither does
  the demo.
* What they are about. Seed 003 asks for "styrking av kompetanse og kvalitet på
  meldingsdialogen", and the issue asks for "most about discharge and messages":
  utskrivning and meldinger are the two largest categories, together more than half.
* Directions, severities, delays and how the receivers answer are the demo's own
  choices (the seeds give none), made to look like a case officer's list: most from the
  municipalities to the hospital, severities mostly ingen/mindre skade, a few
  betydelig skade and very rarely død; acknowledged within days, answered within weeks.

Deterministic: the same seed and cut-off give the same deviations. Nothing here names a
person or holds a national id (deviation_texts).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from flyt import i18n
from flyt.demo import deviation_texts as texts
from flyt.demo.stays import DEPARTMENTS
from flyt.demo.timeline import easter_sunday
from flyt.deviations import changes, codes, deadlines, records
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.domain.months import add_months
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_municipalities, packaged_organisations

KINDS = ("sykehus", "kommune", "fastlege")  # organisations.csv
SOURCE = "demo"  # the demo's deviations are stored as imported from source "demo"
YEARLY = 300  # deviations a year, before the draw's own variation (see the docstring)
MONTHS = 12  # complete months before the cut-off's month, plus that month's days

# (reporter kind, receiver kind) -> weight
DIRECTIONS: Mapping[tuple[str, str], float] = {
    ("kommune", "sykehus"): 0.62, ("sykehus", "kommune"): 0.18,
    ("kommune", "fastlege"): 0.08, ("fastlege", "sykehus"): 0.06,
    ("sykehus", "fastlege"): 0.04, ("fastlege", "kommune"): 0.02,
}
# direction -> category -> weight
CATEGORY_MIX: Mapping[tuple[str, str], Mapping[str, float]] = {
    ("kommune", "sykehus"): {"utskrivning": 40, "meldinger": 26, "legemidler": 12,
                             "hjelpemidler": 5, "transport": 5, "informasjon": 5,
                             "tilgjengelighet": 2, "avtalebrudd": 3, "annet": 2},
    ("sykehus", "kommune"): {"meldinger": 34, "tilgjengelighet": 18, "avtalebrudd": 16,
                             "innleggelse": 12, "informasjon": 10, "legemidler": 5,
                             "annet": 5},
    ("kommune", "fastlege"): {"legemidler": 40, "tilgjengelighet": 25, "informasjon": 15,
                              "meldinger": 15, "annet": 5},
    ("fastlege", "sykehus"): {"utskrivning": 45, "legemidler": 25, "meldinger": 15,
                              "informasjon": 15},
    ("sykehus", "fastlege"): {"innleggelse": 50, "legemidler": 20, "informasjon": 20,
                              "tilgjengelighet": 10},
    ("fastlege", "kommune"): {"meldinger": 40, "informasjon": 30, "tilgjengelighet": 30},
}
SEVERITY_MIX: Mapping[str, float] = {"ingen_skade": 0.42, "mindre_skade": 0.35,
                                     "moderat_skade": 0.185, "betydelig_skade": 0.04,
                                     "dod": 0.005}
# category -> share of system-level deviations (an agreement breach at system level)
SYSTEM_SHARE: Mapping[str, float] = {"avtalebrudd": 0.65, "tilgjengelighet": 0.15,
                                     "meldinger": 0.08}
# hour of the event 0..23: mostly the working day, discharges into the evening
HOURS = (0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 1, 4, 5, 6, 6, 6, 6, 6, 5, 4, 3, 2, 2, 1.5, 1,
         0.6, 0.4)
# Monday … Sunday: more on Fridays (discharges before the weekend), fewer at weekends
WEEKDAYS = (1.0, 1.0, 1.0, 1.05, 1.3, 0.6, 0.5)
# working days from the event to the report, and from one step to the next
REPORT_LAG = ((0, 0.45), (1, 0.25), (2, 0.12), (3, 0.06), (4, 0.04), (5, 0.03), (8, 0.03),
              (12, 0.02))
ACKNOWLEDGE_LAG = ((0, 0.28), (1, 0.30), (2, 0.16), (3, 0.10), (4, 0.05), (5, 0.03),
                   (8, 0.04), (12, 0.02), (25, 0.02))  # past 5: late, so a few overdue
REJECT_SHARE = 0.06
REOPEN_AFTER_ANSWER = 0.04
REOPEN_AFTER_REJECTION = 0.35
REPORTER_CLOSES = 0.3  # else the system closes it after close_after_days
SYSTEM_RUN = time(7, 0)  # [deviations.reminders] time: when the automatic close runs


@dataclass(frozen=True)
class Step:
    """One workflow step after the report: who (side), when, to which status."""

    at: datetime
    side: str  # reporter | receiver | system
    to: str
    comment: str | None = None
    answer: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class DemoDeviation:
    source_id: str
    new: records.NewDeviation
    reported_at: datetime
    steps: tuple[Step, ...]

    @property
    def status(self) -> str:
        return self.steps[-1].to if self.steps else "meldt"


def demo_period(until: date) -> tuple[date, date]:
    """The deviations' period: the `MONTHS` complete months before `until`'s month and
    that month's days before `until` (the demo's KPI year, plus the newest days)."""
    return add_months(until, -MONTHS), until


# --- the calendar ------------------------------------------------------------------


def _season(day: date) -> float:
    """The seasonal weight of a day (seed 000: Easter, summer, Christmas)."""
    easter = easter_sunday(day.year)
    if easter - timedelta(days=7) <= day <= easter + timedelta(days=1):
        return 1.3
    week = day.isocalendar().week
    if 26 <= week <= 33:
        return 1.4
    if (day.month == 12 and day.day >= 18) or (day.month == 1 and day.day <= 3):
        return 1.5
    return 1.0


def _working_on_or_after(day: date) -> date:
    while not deadlines.is_working_day(day):
        day += timedelta(days=1)
    return day


def _after_working_days(day: date, n: int) -> date:
    return deadlines.add_working_days(day, n) if n > 0 else _working_on_or_after(day)


def _at_work(rng: random.Random, day: date, after: datetime | None = None) -> datetime:
    """A moment in working hours (08:00–15:45) on the first working day from `day`,
    a little after `after` when that is the same day."""
    day = _working_on_or_after(day)
    while True:
        earliest = datetime.combine(day, time(8))
        if after is not None:
            earliest = max(earliest, after + timedelta(minutes=5))
        latest = datetime.combine(day, time(15, 45))
        if earliest <= latest:
            span = int((latest - earliest).total_seconds() // 60)
            return earliest + timedelta(minutes=rng.randint(0, min(span, 240)))
        day = _working_on_or_after(day + timedelta(days=1))


def _lag(rng: random.Random, table: Sequence[tuple[int, float]]) -> int:
    """A number of working days from a table of (at least this many, weight); the
    upper buckets spread over the days up to the next bucket."""
    bounds = [n for n, _ in table]
    i = rng.choices(range(len(table)), weights=[w for _, w in table])[0]
    top = bounds[i + 1] - 1 if i + 1 < len(bounds) else bounds[i] * 2
    return rng.randint(bounds[i], max(bounds[i], top))


# --- who and what ------------------------------------------------------------------


@dataclass(frozen=True)
class _Parties:
    hospital: str
    municipalities: tuple[str, ...]
    weights: tuple[float, ...]  # by population (the larger report more)
    names: Mapping[str, str]  # kommunenummer -> name


@cache
def _parties() -> _Parties:
    orgs = packaged_organisations()
    hospital = next(o.org_id for o in orgs if o.kind == "sykehus")
    population = {m.code: float(m.population or 0) for m in packaged_municipalities()}
    names = {m.code: m.name for m in packaged_municipalities()}
    kommuner = tuple(o.org_id for o in orgs if o.kind == "kommune")
    return _Parties(hospital, kommuner,
                    tuple(max(population.get(k, 0.0), 1000.0) ** 0.9 for k in kommuner), names)


def _org(kind: str, municipality: str, parties: _Parties) -> str:
    if kind == "sykehus":
        return parties.hospital
    return municipality if kind == "kommune" else f"fastlege-{municipality}"


def _receivers(rng: random.Random, direction: tuple[str, str], municipality: str,
               parties: _Parties) -> list[str]:
    """The receiver, and now and then (6 %) the municipality's GPs or the municipality
    as a second one (a discharge that went wrong for both)."""
    receivers = [_org(direction[1], municipality, parties)]
    if rng.random() < 0.06:
        (third,) = set(KINDS) - set(direction)
        receivers.append(_org(third, municipality, parties))
    return receivers


def _place(rng: random.Random, receiver_kind: str, municipality: str,
           parties: _Parties) -> str | None:
    """The unit where it happened, on the receiver's side (40 % none)."""
    if rng.random() < 0.4:
        return None
    name = parties.names.get(municipality, municipality)
    if receiver_kind == "sykehus":
        site = rng.choice(("St. Olavs hospital", "St. Olavs hospital", "Orkdal sykehus"))
        return f"{site}, {rng.choice(DEPARTMENTS[:10])}"
    if receiver_kind == "kommune":
        if municipality == "5001" and rng.random() < 0.4:
            return "Øya helsehus"
        return rng.choice((f"{name} korttid", f"Hjemmetjenesten i {name}",
                           f"Tildelingskontoret i {name}"))
    return f"Fastlegene i {name}"


def _occurred(rng: random.Random, day: date, summary: str) -> date | datetime:
    """The event's day, with a time 80 % of the time (in the evening if the summary
    says it was late)."""
    late = summary in texts.LATE
    if rng.random() < 0.2 and not late:
        return day
    hour = rng.randint(17, 22) if late else rng.choices(range(24), weights=HOURS)[0]
    return datetime.combine(day, time(hour, rng.randrange(0, 60, 5)))


def _patient_ref(rng: random.Random, reporter_kind: str) -> str | None:
    """A pseudonymous reference in the reporter's own system (half of them none)."""
    if rng.random() < 0.5:
        return None
    prefix = {"sykehus": "EQS", "kommune": "KOM", "fastlege": "FL"}[reporter_kind]
    return f"{prefix}-{rng.randint(1000, 99999)}"


def _new(rng: random.Random, day: date, parties: _Parties) -> records.NewDeviation:
    """A new deviation occurring on `day`."""
    direction = rng.choices(list(DIRECTIONS), weights=list(DIRECTIONS.values()))[0]
    municipality = rng.choices(parties.municipalities, weights=parties.weights)[0]
    mix = CATEGORY_MIX[direction]
    category = rng.choices(list(mix), weights=list(mix.values()))[0]
    subcategory, summary = rng.choice(texts.SUMMARIES[category])
    level = "system" if rng.random() < SYSTEM_SHARE.get(category, 0.0) else "pasient"
    severity = ("ingen_skade" if level == "system" and rng.random() < 0.7 else
                rng.choices(list(SEVERITY_MIX), weights=list(SEVERITY_MIX.values()))[0])
    clauses = texts.CLAUSES.get(subcategory, texts.DEFAULT_CLAUSES)
    clause = rng.choice(clauses) if level == "system" or category == "avtalebrudd" else None
    place = _place(rng, direction[1], municipality, parties)
    sentences = rng.sample(texts.DESCRIPTIONS[category], k=min(2, len(
        texts.DESCRIPTIONS[category])))[:rng.randint(1, 2)]
    return records.NewDeviation(
        reporter_org=_org(direction[0], municipality, parties),
        receiver_orgs=tuple(_receivers(rng, direction, municipality, parties)),
        occurred_at=_occurred(rng, day, summary), category=category, severity=severity, level=level,
        summary=summary, agreement_clause=clause, subcategory=subcategory,
        patient_ref=_patient_ref(rng, direction[0]) if level == "pasient" else None,
        place=place, description=" ".join(sentences),
        immediate_action=(rng.choice(texts.IMMEDIATE_ACTIONS) if rng.random() < 0.4
                          else None),
        anonymous=rng.random() < 0.05,
    )


def _reported(rng: random.Random, occurred: date | datetime) -> datetime:
    """When the reporter reports: the same or a later working day, in working hours."""
    day = occurred.date() if isinstance(occurred, datetime) else occurred
    after = occurred if isinstance(occurred, datetime) else None
    lag = _lag(rng, REPORT_LAG)
    return _at_work(rng, _after_working_days(day, lag), after if lag == 0 else None)


# --- the workflow ------------------------------------------------------------------


def _answer_lag(rng: random.Random, severity: str) -> int:
    """Working days from handling to the written answer: longer for the severe ones
    (an incident analysis), now and then past the answer deadline."""
    if codes.at_least(severity, "betydelig_skade"):
        return round(rng.triangular(8, 35, 18))
    if codes.answer_required(severity):
        return round(rng.triangular(3, 30, 10))
    return round(rng.triangular(2, 40, 8))


def _close(rng: random.Random, answered: Step, settings: DeviationSettings) -> Step:
    """The reporter closes it within days, or the system on the close day (07:00)."""
    close_day = answered.at.date() + timedelta(days=settings.close_after_days)
    system = Step(datetime.combine(close_day, SYSTEM_RUN) + timedelta(
        seconds=rng.randint(1, 50)), "system", "lukket", comment=i18n.t(
        "devrem_close_comment", "nb").format(answered=i18n.day(answered.at, "nb"),
                                            days=settings.close_after_days))
    if rng.random() < REPORTER_CLOSES:
        at = _at_work(rng, _after_working_days(answered.at.date(), rng.randint(0, 8)),
                      answered.at)
        if at < system.at:
            return Step(at, "reporter", "lukket", comment=rng.choice(texts.CLOSE_COMMENTS))
    return system


def _handled(rng: random.Random, new: records.NewDeviation, start: Step,
             settings: DeviationSettings) -> list[Step]:
    """From `start` (mottatt or gjenapnet): handling, the answer, the close."""
    steps = [start]
    handling = _at_work(rng, _after_working_days(start.at.date(), rng.choice((0, 0, 1, 2, 4))),
                        start.at)
    comments = texts.RESUME_COMMENTS if start.to == "gjenapnet" else texts.HANDLING_COMMENTS
    steps.append(Step(handling, "receiver", "under_behandling", comment=rng.choice(comments)))
    answered = Step(_at_work(rng, _after_working_days(handling.date(), _answer_lag(
        rng, new.severity)), handling), "receiver", "besvart",
        answer=rng.choice(texts.ANSWERS[new.category]))
    steps += [answered, _close(rng, answered, settings)]
    return steps


def _rejected(rng: random.Random, after: Step) -> Step:
    return Step(_at_work(rng, _after_working_days(after.at.date(), rng.randint(0, 3)),
                         after.at), "receiver", "avvist",
                reason=rng.choice(texts.REJECTION_REASONS))


def _reopened(rng: random.Random, last: Step) -> Step:
    return Step(_at_work(rng, _after_working_days(last.at.date(), rng.randint(1, 10)),
                         last.at), "reporter", "gjenapnet",
                comment=rng.choice(texts.REOPEN_COMMENTS))


def _steps(rng: random.Random, new: records.NewDeviation, reported: datetime,
           settings: DeviationSettings) -> list[Step]:
    """Every step the deviation would take, however far in the future."""
    report = Step(reported, "reporter", "meldt")
    reject_at = (rng.choices(("meldt", "mottatt", "under_behandling"), weights=(4, 2, 4))[0]
                 if rng.random() < REJECT_SHARE else None)
    if reject_at == "meldt":
        steps = [_rejected(rng, report)]
    else:
        acknowledged = Step(_at_work(rng, _after_working_days(
            reported.date(), _lag(rng, ACKNOWLEDGE_LAG)), reported), "receiver", "mottatt",
            comment=rng.choice(texts.ACKNOWLEDGE_COMMENTS))
        steps = _handled(rng, new, acknowledged, settings)
        if reject_at is not None:
            keep = 1 if reject_at == "mottatt" else 2
            steps = steps[:keep] + [_rejected(rng, steps[keep - 1])]
    last = steps[-1]
    if rng.random() < (REOPEN_AFTER_REJECTION if last.to == "avvist" else REOPEN_AFTER_ANSWER):
        steps += _handled(rng, new, _reopened(rng, last), settings)
    return steps


def _until(steps: list[Step], cutoff: datetime) -> tuple[Step, ...]:
    """The steps taken before the cut-off (a step waits for the one before it)."""
    taken = []
    for step in steps:
        if step.at >= cutoff:
            break
        taken.append(step)
    return tuple(taken)


# --- the year ----------------------------------------------------------------------


def generate(seed: int, until: date, *,
             settings: DeviationSettings | None = None) -> list[DemoDeviation]:
    """The demo's deviations for `demo_period(until)`, reported before `until` 00:00 and
    with the steps taken by then, by time of report."""
    settings = settings or load_deviation_settings()
    rng = random.Random(f"flyt demo deviations {seed}")
    start, end = demo_period(until)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    weights = [_season(d) * WEEKDAYS[d.weekday()] for d in days]
    n = round(YEARLY * len(days) / 365 * rng.uniform(0.9, 1.1))
    parties = _parties()
    cutoff = datetime.combine(until, time())
    made = []
    for day in sorted(rng.choices(days, weights=weights, k=n)):
        new = _new(rng, day, parties)
        reported = _reported(rng, new.occurred_at)
        steps = _steps(rng, new, reported, settings)
        if reported < cutoff:  # else not reported yet
            made.append((reported, new, _until(steps, cutoff)))
    made.sort(key=lambda m: m[0])
    return [DemoDeviation(f"demo-{i:05d}", new, reported, steps)
            for i, (reported, new, steps) in enumerate(made, start=1)]


# --- into the store ----------------------------------------------------------------


def stored_count(db: Database) -> int:
    """How many demo deviations the store holds."""
    d = schema.deviations.c
    with db.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(d.source == SOURCE))
                   .scalar_one())


def _organisation(item: DemoDeviation, side: str) -> str | None:
    return {"reporter": item.new.reporter_org, "receiver": item.new.receiver_orgs[0],
            "system": None}[side]


def _stamps(item: DemoDeviation) -> dict[str, datetime | None]:
    """acknowledged_at, answered_at, closed_at: the latest step to each (as
    records.transition keeps them)."""
    latest = {step.to: step.at for step in item.steps}
    return {"acknowledged_at": latest.get("mottatt"), "answered_at": latest.get("besvart"),
            "closed_at": latest.get("lukket")}


def _prepared(db: Database, items: Sequence[DemoDeviation],
              settings: DeviationSettings) -> list[records.Prepared]:
    """Each deviation checked (records.checked) and ready for records.insert_many.
    records.prepare, which makes the year's sequence in a transaction of its own, runs
    for the first of each year; the rest reuse its sequence (as the import does: a few
    milliseconds a deviation saved). `imported=False`: the history starts with the
    report itself, at reported_at."""
    first: dict[int, records.Prepared] = {}
    out = []
    for item in items:
        year = item.reported_at.year
        if year not in first:
            first[year] = records.prepare(db, item.new, settings=settings, source=SOURCE,
                                          source_id=item.source_id,
                                          reported_at=item.reported_at, status="meldt")
            out.append(replace(first[year], imported=False))
            continue
        values, receivers = records.checked(item.new, settings)
        out.append(records.Prepared({**values, "source": SOURCE, "source_id": item.source_id},
                                    receivers, first[year].sequence, item.reported_at,
                                    "meldt", imported=False))
    return out


def _moves(item: DemoDeviation) -> list[tuple[int, str, Step]]:
    """Each step after the report with the version it makes and the status before it."""
    before = ["meldt", *(step.to for step in item.steps)]
    return [(version, before[version - 2], step)
            for version, step in enumerate(item.steps, start=2)]


def store(db: Database, items: Sequence[DemoDeviation], *,
          users: Mapping[str, int] | None = None,
          settings: DeviationSettings | None = None) -> int:
    """Store the deviations with their history in one transaction: how many. `users`:
    org_id -> the demo user who acts for it (their steps are theirs; others have no
    user, as an import's). A store that has demo deviations keeps them: 0.

    The report goes through records.prepare/insert_many (checked, numbered by the
    year's sequence, first event at reported_at); the later steps are inserted as
    records.transition would leave them: one event each, version = number of events,
    status = the last step's, the timestamps of the latest mottatt/besvart/lukket."""
    if stored_count(db):
        return 0
    users = users or {}
    prepared = _prepared(db, items, settings or load_deviation_settings())
    d, e = schema.deviations.c, schema.deviation_events.c
    with db.engine.begin() as conn:
        ids = records.insert_many(conn, prepared, user_id=None)
        events = [{"deviation_id": i, "version": version, "created_at": step.at,
                   "user_id": users.get(_organisation(item, step.side) or ""),
                   "organisation": _organisation(item, step.side),
                   "from_status": before, "to_status": step.to, "comment": step.comment,
                   "answer": step.answer, "reason": step.reason}
                  for i, item in zip(ids, items, strict=True)
                  for version, before, step in _moves(item)]
        if events:
            conn.execute(schema.deviation_events.insert(), events)
        conn.execute(
            schema.deviations.update().where(d.id == sa.bindparam("b_id")).values(
                status=sa.bindparam("b_status"), version=sa.bindparam("b_version"),
                reported_by=sa.bindparam("b_by"),
                acknowledged_at=sa.bindparam("b_acknowledged_at"),
                answered_at=sa.bindparam("b_answered_at"),
                closed_at=sa.bindparam("b_closed_at")),
            [{"b_id": i, "b_status": item.status, "b_version": 1 + len(item.steps),
              "b_by": users.get(item.new.reporter_org),
              **{f"b_{k}": v for k, v in _stamps(item).items()}}
             for i, item in zip(ids, items, strict=True)])
        reporters = [{"b_id": i, "b_user": users[item.new.reporter_org]}
                     for i, item in zip(ids, items, strict=True)
                     if item.new.reporter_org in users]
        if reporters:
            conn.execute(schema.deviation_events.update().where(
                e.deviation_id == sa.bindparam("b_id"), e.version == 1).values(
                user_id=sa.bindparam("b_user")), reporters)
    changes.changed()  # the deviations list looks again (after the commit)
    return len(ids)


# --- as a file ---------------------------------------------------------------------

# The columns of `flyt deviations import` (flyt.deviations.exporting, without Flyt's id)
CSV_COLUMNS = ("source_id", "reporter_org", "receiver_org", "occurred_at", "reported_at",
               "category", "subcategory", "severity", "level", "agreement_clause",
               "patient_ref", "place", "status", "summary", "description",
               "immediate_action", "anonymous")


def as_rows(items: Sequence[DemoDeviation]) -> list[dict[str, object]]:
    """The deviations as rows of the import's file, status as of the cut-off."""
    from flyt.deviations.exporting import moment
    from flyt.deviations.importing import RECEIVER_SEPARATOR

    rows = []
    for item in items:
        new = item.new
        has_time = isinstance(new.occurred_at, datetime)
        occurred = new.occurred_at if isinstance(new.occurred_at, datetime) else \
            datetime.combine(new.occurred_at, time())
        row: dict[str, object] = {
            "source_id": item.source_id, "reporter_org": new.reporter_org,
            "receiver_org": RECEIVER_SEPARATOR.join(new.receiver_orgs),
            "occurred_at": moment(occurred, has_time), "reported_at": moment(item.reported_at),
            "category": new.category, "subcategory": new.subcategory,
            "severity": new.severity, "level": new.level,
            "agreement_clause": new.agreement_clause, "patient_ref": new.patient_ref,
            "place": new.place, "status": item.status, "summary": new.summary,
            "description": new.description, "immediate_action": new.immediate_action,
            "anonymous": "true" if new.anonymous else "false"}
        rows.append(row)
    return rows


def write_csv(path: Path, items: Sequence[DemoDeviation]) -> None:
    """The deviations as a CSV file `flyt deviations import` reads."""
    from flyt.output import writers

    path.write_text(writers.to_csv(as_rows(items), CSV_COLUMNS), encoding="utf-8")
