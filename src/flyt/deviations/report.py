"""The annual report's numbers (spec/deviations.md, "Numbers out: the annual report").

A long table ``year,period,dimension,value,count``, counted in the database: one
UNION ALL query of GROUP BYs over the deviations whose ``occurred_at`` date lies in the
period, the same SQL on DuckDB and PostgreSQL. Nothing loops over deviations in Python.

Rules (docs/deviations.md, "The annual report"):
- ``avvist`` deviations count only under ``status``; every other dimension counts the rest.
- ``direction`` is ``<reporter kind>-><receiver kind>``, once per distinct direction of a
  deviation; ``receiver_org`` counts a deviation once under each receiver.
- ``hour`` counts only deviations whose ``occurred_at`` has a time.
- Every row has a count of at least 1: a value with no deviations has no row, and an
  empty period (also ``total``) gives no rows at all.
- Row order: the dimensions in the order of ``DIMENSIONS``; within one, the codes'
  own order (the taxonomy, severity scale, levels, workflow statuses), organisations in
  the order of organisations.csv, directions by the kinds' order (sykehus, kommune,
  fastlege) of reporter then receiver, months, weekdays and hours by number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from flyt.deviations import codes
from flyt.deviations.settings import load_deviation_settings
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations

COLUMNS = ("year", "period", "dimension", "value", "count")
DIMENSIONS = ("total", "category", "severity", "level", "direction", "reporter_org",
              "receiver_org", "month", "weekday", "hour", "status")
TOTAL_VALUE = "alle"
KIND_ORDER = ("sykehus", "kommune", "fastlege")
TERTIALS = (1, 2, 3)
# The first month of each tertial: T1 January–April, T2 May–August, T3 September–December.
_TERTIAL_START = {1: 1, 2: 5, 3: 9}
# Sorts after every known code: a code no longer configured still gets a stable place.
_LAST = 1_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Period:
    """A year, or one tertial of it; ``start`` inclusive, ``end`` exclusive (dates)."""

    year: int
    tertial: int | None = None

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"year {self.year} outside {FIRST_YEAR}–{LAST_YEAR}")
        if self.tertial is not None and self.tertial not in TERTIALS:
            raise ValueError(f"tertial {self.tertial} is not 1, 2 or 3")

    @property
    def label(self) -> str:
        return str(self.year) if self.tertial is None else f"{self.year}-T{self.tertial}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.tertial is None else _TERTIAL_START[self.tertial], 1)

    @property
    def end(self) -> date:
        if self.tertial is None or self.tertial == 3:
            return date(self.year + 1, 1, 1)
        return date(self.year, _TERTIAL_START[self.tertial + 1], 1)


@contextmanager
def reading(db: Database) -> Iterator[sa.Connection]:
    """A connection for the report's queries. On PostgreSQL in a transaction with JIT
    off, room to sort in memory (as flyt.engine.compute does) and hash joins: JIT
    compiled these grouped queries for 2.5 s at 100 000 deviations and saved nothing."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL jit = off")
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            # The joins on computed days (the calendar) are misestimated by orders of
            # magnitude, so the planner chose merge joins that sort text ids under the
            # database's collation (the timeliness 1.4 -> 0.9 s at 100 000 deviations).
            conn.exec_driver_sql("SET LOCAL enable_mergejoin = off")
        yield conn


def _text(expr: sa.ColumnElement) -> sa.ColumnElement[str]:
    return sa.cast(expr, sa.String)


def _number(part: str, moment: sa.ColumnElement) -> sa.ColumnElement[int]:
    """A date part as a whole number (PostgreSQL's EXTRACT gives a numeric)."""
    return sa.cast(sa.extract(part, moment), sa.Integer)


def _ordinal(column: sa.ColumnElement, order: Sequence[str]) -> sa.ColumnElement[int]:
    """The position of the column's code in ``order``; unknown codes last."""
    return sa.case({code: i for i, code in enumerate(order)}, value=column, else_=_LAST)


def _organisations() -> sa.CTE:
    """org_id, kind and the organisation's and kind's place, from organisations.csv
    (packaged data, written into the SQL as constants)."""
    rows = [(o.org_id, o.kind, i,
             KIND_ORDER.index(o.kind) if o.kind in KIND_ORDER else len(KIND_ORDER))
            for i, o in enumerate(packaged_organisations())]
    values = sa.values(sa.column("org_id", sa.String), sa.column("kind", sa.String),
                       sa.column("position", sa.Integer),
                       sa.column("kind_position", sa.Integer),
                       name="orgs", literal_binds=True).data(rows)
    return sa.select(values).cte("orgs")


def _constant(value: str | int) -> sa.ColumnElement:
    """A constant written into the SQL (our own codes and numbers, never user input), so
    PostgreSQL needs no parameter type in a UNION and GROUP BY sees no parameter."""
    if isinstance(value, str):
        return sa.literal_column(f"'{value}'", sa.String)
    return sa.literal_column(str(value), sa.Integer)


# The dimensions whose source has more than one row of a deviation in one group (every
# other source has one row per deviation, or per deviation and receiver for receiver_org).
_REPEATS = frozenset({"direction"})


def _branch(dimension: str, keys: Sequence[sa.ColumnElement], value: sa.ColumnElement,
            ordinal: sa.ColumnElement, counted: sa.ColumnElement, source: sa.FromClause,
            where: sa.ColumnElement | None) -> sa.Select:
    """One dimension's rows: grouped by ``keys``, the value, its sort place and how many
    distinct deviations. A group always counts one or more; without keys (``total``)
    HAVING drops the row of an empty period. Only a direction can meet a deviation
    twice in one group (two receivers of one kind): the others count rows, which
    PostgreSQL does without sorting each group (1.3 s -> 0.6 s at 100 000)."""
    many = (sa.func.count(sa.distinct(counted)) if dimension in _REPEATS
            else sa.func.count(counted))
    query = (sa.select(_constant(DIMENSIONS.index(dimension)).label("rank"),
                       _constant(dimension).label("dimension"),
                       _text(value).label("value"), sa.func.min(ordinal).label("ordinal"),
                       many.label("count"))
             .select_from(source).group_by(*keys).having(many > 0))
    return query if where is None else query.where(where)


def _period_deviations(period: Period) -> sa.CTE:
    """The deviations whose occurred_at date lies in the period (avvist too)."""
    d = schema.deviations.c
    return (sa.select(d.id, d.reporter_org, d.occurred_at, d.occurred_has_time, d.category,
                      d.subcategory, d.severity, d.level, d.status)
            .where(d.occurred_at >= datetime.combine(period.start, datetime.min.time()),
                   d.occurred_at < datetime.combine(period.end, datetime.min.time()))
            .cte("period_deviations"))


def query(period: Period, categories: Sequence[str]) -> sa.Select:
    """The whole table as one query, ordered (see the module's docstring)."""
    r = schema.deviation_receivers.c
    base = _period_deviations(period)
    b = base.c
    kept = b.status != "avvist"
    orgs = _organisations()
    reporter, receiver = orgs.alias("reporter"), orgs.alias("receiver")
    received = base.join(schema.deviation_receivers, r.deviation_id == b.id)
    directed = (received.join(reporter, reporter.c.org_id == b.reporter_org)
                .join(receiver, receiver.c.org_id == r.org_id))
    month = _number("month", b.occurred_at)
    weekday = _number("isodow", b.occurred_at)
    hour = _number("hour", b.occurred_at)

    def by_code(dimension: str, column: sa.ColumnElement, order: Sequence[str],
                where: sa.ColumnElement | None = kept) -> sa.Select:
        return _branch(dimension, [column], column, _ordinal(column, order), b.id, base,
                       where)

    def by_number(dimension: str, number: sa.ColumnElement,
                  where: sa.ColumnElement) -> sa.Select:
        return _branch(dimension, [number], number, number, b.id, base, where)

    branches = [
        _branch("total", [], _constant(TOTAL_VALUE), _constant(0), b.id, base, kept),
        by_code("category", b.category, categories),
        by_code("severity", b.severity, codes.SEVERITIES),
        by_code("level", b.level, codes.LEVELS),
        _branch("direction", [reporter.c.kind, receiver.c.kind],
                reporter.c.kind + _constant("->") + receiver.c.kind,
                reporter.c.kind_position * 100 + receiver.c.kind_position,
                b.id, directed, kept),
        _branch("reporter_org", [b.reporter_org], b.reporter_org,
                sa.func.coalesce(reporter.c.position, _LAST), b.id,
                base.outerjoin(reporter, reporter.c.org_id == b.reporter_org), kept),
        _branch("receiver_org", [r.org_id], r.org_id,
                sa.func.coalesce(receiver.c.position, _LAST), b.id,
                received.outerjoin(receiver, receiver.c.org_id == r.org_id), kept),
        _branch("month", [month],
                _constant(f"{period.year}-") + sa.func.lpad(_text(month), 2, _constant("0")),
                month, b.id, base, kept),
        by_number("weekday", weekday, kept),
        by_number("hour", hour, sa.and_(kept, b.occurred_has_time)),
        by_code("status", b.status, codes.STATUSES, where=None),
    ]
    table = sa.union_all(*branches).subquery("report")
    return (sa.select(table.c.dimension, table.c.value, table.c["count"])
            .order_by(table.c.rank, table.c.ordinal, table.c.value))


def rows(db: Database, year: int, tertial: int | None = None, *,
         categories: Sequence[str] | None = None) -> list[dict[str, object]]:
    """The long table of ``year`` (or its ``tertial``), one dict per row with the keys of
    COLUMNS; ``categories`` (default: the configured taxonomy) only orders the rows."""
    period = Period(year, tertial)
    order = tuple(categories) if categories is not None else load_deviation_settings().categories
    with reading(db) as conn:
        found = conn.execute(query(period, order)).all()
    return [{"year": period.year, "period": period.label, "dimension": dimension,
             "value": value, "count": int(count)} for dimension, value, count in found]



# Top problem areas (docs/deviations.md, "The annual report"): not rows of the long
# table (the contract fixes its dimensions), counted by the same rules: avvist left
# out, a deviation once per distinct direction and once per receiver.


@dataclass(frozen=True)
class Group:
    """A combination and how many distinct deviations it has. ``key`` is (category,
    subcategory or "", direction) for problem areas, (reporter_org, receiver_org) for
    organisation pairs."""

    key: tuple[str, ...]
    count: int


def _grouped(db: Database, query_: sa.Select) -> list[Group]:
    with reading(db) as conn:
        found = conn.execute(query_).all()
    return [Group(tuple(str(v) for v in row[:-1]), int(row[-1])) for row in found]


def problem_areas(db: Database, year: int, tertial: int | None = None, *,
                  categories: Sequence[str] | None = None) -> list[Group]:
    """Every category (+ subcategory, lower case; "" where none) × direction of the
    period with its count of deviations, most first; ties in the codes' order."""
    order = tuple(categories) if categories is not None else load_deviation_settings().categories
    base = _period_deviations(Period(year, tertial))
    b, r = base.c, schema.deviation_receivers.c
    orgs = _organisations()
    reporter, receiver = orgs.alias("reporter"), orgs.alias("receiver")
    sub = sa.func.coalesce(sa.func.lower(b.subcategory), _constant(""))
    many = sa.func.count(sa.distinct(b.id))
    query_ = (sa.select(b.category, sub, reporter.c.kind + _constant("->") + receiver.c.kind,
                        many)
              .select_from(base.join(schema.deviation_receivers, r.deviation_id == b.id)
                           .join(reporter, reporter.c.org_id == b.reporter_org)
                           .join(receiver, receiver.c.org_id == r.org_id))
              .where(b.status != "avvist")
              .group_by(b.category, sub, reporter.c.kind, receiver.c.kind)
              .order_by(many.desc(), sa.func.min(_ordinal(b.category, order)), b.category,
                        sub, sa.func.min(reporter.c.kind_position * 100
                                         + receiver.c.kind_position)))
    return _grouped(db, query_)


def organisation_pairs(db: Database, year: int, tertial: int | None = None) -> list[Group]:
    """Every reporter → receiver organisation pair of the period with its count of
    deviations, most first; ties in the order of organisations.csv."""
    base = _period_deviations(Period(year, tertial))
    b, r = base.c, schema.deviation_receivers.c
    orgs = _organisations()
    reporter, receiver = orgs.alias("reporter"), orgs.alias("receiver")
    many = sa.func.count(sa.distinct(b.id))
    query_ = (sa.select(b.reporter_org, r.org_id, many)
              .select_from(base.join(schema.deviation_receivers, r.deviation_id == b.id)
                           .outerjoin(reporter, reporter.c.org_id == b.reporter_org)
                           .outerjoin(receiver, receiver.c.org_id == r.org_id))
              .where(b.status != "avvist")
              .group_by(b.reporter_org, r.org_id)
              .order_by(many.desc(), sa.func.min(sa.func.coalesce(reporter.c.position, _LAST)),
                        b.reporter_org,
                        sa.func.min(sa.func.coalesce(receiver.c.position, _LAST)), r.org_id))
    return _grouped(db, query_)
