"""Time to acknowledge and to answer against the deadlines, for the annual report
(issue 12, point 6; docs/deviations.md, "The annual report").

The deviations are the report's: those whose ``occurred_at`` date lies in the period,
``avvist`` left out (as every table but status). Counted in the database by one query;
the only Python loop is over the calendar's days (a few hundred), built once with
``deadlines`` (Norwegian working days, the ``holidays`` package) and joined in SQL.

- **Acknowledged** is the first ``mottatt`` event, **answered** the first ``besvart``
  event. Time to acknowledge is counted in working days (the deadline is in working
  days): the working days after the day of ``reported_at`` up to and including the day
  of the acknowledgement (the same day is 0; a Saturday report acknowledged on Monday
  is 1). Time to answer is in calendar days (the deadline is in calendar days).
- Median and 90th percentile are continuous (interpolated between the two nearest
  values, SQL's ``percentile_cont``) over the deviations that reached the step.
- **On time**: acknowledged by ``deadlines.acknowledge_due``; answered (moderat_skade
  or worse) by ``reported_at`` + ``answer_days``. A share's denominator is the
  deviations whose outcome is known when the report is made: the step was taken, or
  its deadline has passed without it. One still within its deadline is in neither.
- **Imported** deviations (``source`` set) have no times of their steps (the list they
  came from does not say when): they are left out of the times and shares, counted as
  ``imported``, and counted in open/overdue with the status the import gave them, as
  of their ``reported_at``.
- **Open and overdue at the end of the period**: the status then is the one the latest
  event before the end made (the end is the period's end, or the report's moment for a
  period not over yet); overdue as ``deadlines.overdue`` judges it on the end's day.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from flyt.deviations import codes, deadlines
from flyt.deviations.records import IMPORTED
from flyt.deviations.report import Period, reading
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

EPOCH = date(1970, 1, 1)
_STATUS_UNKNOWN = 99  # a status code no longer known: neither open nor meldt
_ANSWER_SEVERITIES = codes.SEVERITIES[codes.SEVERITIES.index(codes.ANSWER_REQUIRED_FROM):]


@dataclass(frozen=True)
class Timeliness:
    """The period's figures; medians and percentiles None when nothing reached the step."""

    end: datetime  # open and overdue are counted at this moment
    counted: int  # deviations of the period reported in Flyt (times known)
    imported: int  # deviations of the period imported (times unknown)
    acknowledged: int
    acknowledge_median: float | None  # working days
    acknowledge_p90: float | None
    acknowledge_known: int  # acknowledged, or not and past the deadline
    acknowledge_on_time: int
    answered: int
    answer_median: float | None  # calendar days
    answer_p90: float | None
    answer_known: int  # moderat_skade or worse: answered, or not and past the deadline
    answer_on_time: int
    open_at_end: int
    overdue_acknowledge: int
    overdue_answer: int
    overdue: int  # either step

    @property
    def acknowledge_share(self) -> float | None:
        return self.acknowledge_on_time / self.acknowledge_known if self.acknowledge_known else None

    @property
    def answer_share(self) -> float | None:
        return self.answer_on_time / self.answer_known if self.answer_known else None


def day_number(day: date) -> int:
    return (day - EPOCH).days


def _day_of(moment: sa.ColumnElement) -> sa.ColumnElement[int]:
    """A timestamp's date as days since 1970-01-01 (the same integer on both engines)."""
    epoch = sa.literal_column(f"DATE '{EPOCH.isoformat()}'", sa.Date)
    return sa.type_coerce(sa.cast(moment, sa.Date) - epoch, sa.Integer)


def calendar_rows(first: date, last: date,
                  settings: DeviationSettings) -> list[tuple[int, int, int]]:
    """(day number, working days up to and including the day, acknowledge due day
    number) for every day from `first` to `last`. The working days of an interval are
    the difference of the running counts."""
    found, running, day = [], 0, first
    while day <= last:
        running += deadlines.is_working_day(day)
        due = deadlines.acknowledge_due(datetime.combine(day, datetime.min.time()), settings)
        found.append((day_number(day), running, day_number(due)))
        day += timedelta(days=1)
    return found


def _calendar(rows: list[tuple[int, int, int]]) -> sa.CTE:
    values = sa.values(sa.column("day", sa.Integer), sa.column("worked", sa.Integer),
                       sa.column("ack_due", sa.Integer), name="days",
                       literal_binds=True).data(rows)
    return sa.select(values).cte("calendar")


def _population(period: Period) -> sa.CTE:
    d = schema.deviations.c
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    return (sa.select(d.id, d.reported_at, d.severity, d.source)
            .where(d.occurred_at >= start, d.occurred_at < end, d.status != "avvist")
            .cte("period_deviations"))


def _first_report(db: Database, base: sa.CTE) -> date | None:
    """The day of the period's first report (None: the period has no deviations)."""
    with reading(db) as conn:
        first = conn.execute(sa.select(sa.func.min(base.c.reported_at))).scalar()
    return None if first is None else first.date()


def _status_code(status: str) -> int:
    return codes.STATUSES.index(status)


def _steps(base: sa.CTE, end: datetime) -> sa.CTE:
    """Per deviation: the first mottatt and besvart, and the status the latest event
    before `end` made (an imported event as of the deviation's reported_at). The latest
    is found in the same pass: the greatest version × 100 + the status's place in
    codes.STATUSES, whose remainder is that status (one event per version)."""
    e = schema.deviation_events.c
    imported_event = sa.and_(e.comment == IMPORTED, e.user_id.is_(None))
    effective = sa.case((imported_event, base.c.reported_at), else_=e.created_at)
    status = sa.case({code: i for i, code in enumerate(codes.STATUSES)}, value=e.to_status,
                     else_=_STATUS_UNKNOWN)
    return (sa.select(e.deviation_id,
                      sa.func.min(sa.case((e.to_status == "mottatt", e.created_at)))
                      .label("acknowledged"),
                      sa.func.min(sa.case((e.to_status == "besvart", e.created_at)))
                      .label("answered"),
                      sa.func.max(sa.case((effective < end, e.version * 100 + status)))
                      .label("at_end"))
            .select_from(base.join(schema.deviation_events, e.deviation_id == base.c.id))
            .group_by(e.deviation_id).cte("steps"))


def query(period: Period, end: datetime, made: date, calendar: sa.CTE,
          settings: DeviationSettings) -> sa.Select:
    base = _population(period)
    steps = _steps(base, end)
    reported, acked = calendar.alias("reported_day"), calendar.alias("ack_day")
    b, s = base.c, steps.c
    rep_day, ack_day, ans_day = _day_of(b.reported_at), _day_of(s.acknowledged), _day_of(
        s.answered)
    own = b.source.is_(None)
    answer_due = rep_day + settings.answer_days
    serious = b.severity.in_(_ANSWER_SEVERITIES)
    end_day, made_day = day_number(end.date()), day_number(made)
    status = sa.type_coerce(s.at_end % 100, sa.Integer)
    is_open = status.in_(sorted(_status_code(c) for c in codes.OPEN_STATUSES))
    late_ack = sa.and_(status == _status_code("meldt"), end_day > reported.c.ack_due)
    late_answer = sa.and_(serious, is_open, end_day > answer_due)
    ack_time = sa.case((own, acked.c.worked - reported.c.worked))
    answer_time = sa.case((own, ans_day - rep_day))
    ack_on_time = sa.and_(own, ack_day <= reported.c.ack_due)
    ack_known = sa.and_(own, sa.or_(s.acknowledged.is_not(None),
                                    made_day > reported.c.ack_due))
    answer_known = sa.and_(own, serious, sa.or_(s.answered.is_not(None),
                                                made_day > answer_due))

    def how_many(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    def percentile(share: float, value: sa.ColumnElement) -> sa.ColumnElement[float]:
        return sa.func.percentile_cont(share).within_group(value)

    source = (base.join(reported, reported.c.day == rep_day)
              .outerjoin(steps, s.deviation_id == b.id)
              .outerjoin(acked, acked.c.day == ack_day))
    return sa.select(
        how_many(own), how_many(sa.not_(own)),
        how_many(sa.and_(own, s.acknowledged.is_not(None))),
        percentile(0.5, ack_time), percentile(0.9, ack_time),
        how_many(ack_known), how_many(ack_on_time),
        how_many(sa.and_(own, s.answered.is_not(None))),
        percentile(0.5, answer_time), percentile(0.9, answer_time),
        how_many(answer_known), how_many(sa.and_(answer_known, ans_day <= answer_due)),
        how_many(is_open), how_many(late_ack), how_many(late_answer),
        how_many(sa.or_(late_ack, late_answer)),
    ).select_from(source)


def period_end(period: Period, made: datetime) -> datetime:
    """The moment open and overdue are counted at: the period's end, or `made` while
    the period is not over."""
    return min(datetime.combine(period.end, datetime.min.time()), made)


def figures(db: Database, year: int, tertial: int | None = None, *,
            made: datetime | None = None,
            settings: DeviationSettings | None = None) -> Timeliness:
    """The timeliness of the period's deviations, as of `made` (default: now)."""
    period = Period(year, tertial)
    made = made or clock.now()
    settings = settings or load_deviation_settings()
    end = period_end(period, made)
    first = _first_report(db, _population(period))
    if first is None:
        return _from_row(end, [0] * 3 + [None] * 2 + [0] * 3 + [None] * 2 + [0] * 6)
    # Every step was taken by `made` (now): the calendar ends there.
    calendar = _calendar(calendar_rows(first, max(end.date(), made.date()), settings))
    with reading(db) as conn:
        row = conn.execute(query(period, end, made.date(), calendar, settings)).one()
    return _from_row(end, list(row))


_REAL = frozenset({"acknowledge_median", "acknowledge_p90", "answer_median", "answer_p90"})


def _from_row(end: datetime, row: list[Any]) -> Timeliness:
    """The query's columns, in the order of Timeliness's fields after `end`."""
    names = [f.name for f in fields(Timeliness)][1:]
    values: dict[str, Any] = {
        name: (None if value is None else float(value)) if name in _REAL else int(value)
        for name, value in zip(names, row, strict=True)}
    return Timeliness(end=end, **values)
