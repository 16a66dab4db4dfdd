"""The action plan's model (spec/plan.md, docs/plan.md) and its checks.

A plan is one vision, the Theory of Change's elements (resources → activities →
outcomes → results → effects, each linking forward) and the measures with their
activities. Everything here is pure: the checks name the item and field at fault and
say why as an i18n `Text`; the readers (flyt.plan.exchange) turn an item into a sheet
and row or a JSON path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flyt.ingest.errors import Text

KINDS = ("ressurs", "aktivitet", "utfall", "resultat", "effekt")  # the ToC's columns, in order
PRIORITIES = ("hoy", "middel", "lav")
SCOPES = ("stort", "middels", "lite")
STATUSES = ("green", "yellow", "red")
KPI_NUMBERS = range(1, 7)

_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str) -> date:
    """A day as the plan's files and pages write it: dd.mm.yyyy, or ISO yyyy-mm-dd.
    ValueError for anything else or a day that does not exist."""
    if m := _DMY.fullmatch(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.fullmatch(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


# Characters a field may hold (checked before anything is stored).
MAX_LENGTH = {"id": 40, "text": 1_000, "name": 1_000, "description": 10_000,
              "responsible": 200, "comment": 5_000, "vision": 1_000}


@dataclass(frozen=True)
class Element:
    id: str
    kind: str
    text: str
    kpi: int | None = None
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    start: date | None = None
    end: date | None = None
    priority: str | None = None
    scope: str | None = None
    responsible: str = ""
    done: bool = False
    status: str | None = None
    comment: str = ""
    version: int = 0  # 0: not stored yet


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    description: str = ""
    start: date | None = None
    end: date | None = None
    priority: str | None = None
    scope: str | None = None
    responsible: str = ""
    status: str | None = None
    comment: str = ""
    toc: tuple[str, ...] = ()
    activities: tuple[Activity, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class Plan:
    vision: str
    elements: tuple[Element, ...] = ()
    measures: tuple[Measure, ...] = ()

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one item: `item` is its id ("" for the vision), `field` the
    field at fault."""

    item: str
    field: str
    text: Text


def check(plan: Plan) -> list[Problem]:
    """Every problem of a plan, in the plan's order; none: it may be stored."""
    problems = _lengths("", {"vision": plan.vision})
    if not plan.vision.strip():
        problems.append(Problem("", "vision", Text.of("plan_vision_empty")))
    problems += _elements(plan.elements)
    problems += _measures(plan)
    return problems


def _lengths(item: str, fields: dict[str, str]) -> list[Problem]:
    return [Problem(item, name, Text.of("plan_too_long", field=name, limit=MAX_LENGTH[name]))
            for name, value in fields.items() if len(value) > MAX_LENGTH[name]]


def _duplicate(item: str, seen: set[str]) -> list[Problem]:
    if item in seen:
        return [Problem(item, "id", Text.of("plan_duplicate_id", id=item))]
    seen.add(item)
    return []


def _elements(elements: tuple[Element, ...]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    kinds = {e.id: e.kind for e in elements}
    for e in elements:
        problems += _id(e.id) + _duplicate(e.id, seen) + _lengths(e.id, {"text": e.text})
        if e.kind not in KINDS:
            problems.append(Problem(e.id, "kind", Text.of("plan_bad_kind", value=e.kind)))
        if not e.text.strip():
            problems.append(Problem(e.id, "text", Text.of("plan_empty", field="text")))
        if e.kpi is not None and e.kpi not in KPI_NUMBERS:
            problems.append(Problem(e.id, "kpi", Text.of("plan_bad_kpi", value=str(e.kpi))))
        elif e.kpi is not None and e.kind != "effekt":
            problems.append(Problem(e.id, "kpi", Text.of("plan_kpi_not_effect", id=e.id)))
        problems += _links(e, kinds)
    return problems


def _links(e: Element, kinds: dict[str, str]) -> list[Problem]:
    """A link leads to a known element in a later column (the seed's chain runs one way:
    resources → activities → outcomes → results → effects; a column may be skipped)."""
    problems: list[Problem] = []
    for target in e.links:
        if target not in kinds:
            problems.append(Problem(e.id, "links", Text.of("plan_unknown_link", id=target)))
        elif e.kind in KINDS and kinds[target] in KINDS and (
                KINDS.index(kinds[target]) <= KINDS.index(e.kind)):
            problems.append(Problem(e.id, "links", Text.of("plan_link_backwards", id=target)))
    if len(set(e.links)) != len(e.links):
        problems.append(Problem(e.id, "links", Text.of("plan_duplicate_link")))
    return problems


def _id(item: str) -> list[Problem]:
    if not item.strip():
        return [Problem(item, "id", Text.of("plan_empty", field="id"))]
    if len(item) > MAX_LENGTH["id"] or any(c in item for c in ";\n\r\t") or item != item.strip():
        return [Problem(item, "id", Text.of("plan_bad_id", limit=MAX_LENGTH["id"]))]
    return []


def _measures(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = {e.id for e in plan.elements}  # one id names one thing
    for m in plan.measures:
        problems += _id(m.id) + _duplicate(m.id, seen) + _common(m.id, m)
        problems += _lengths(m.id, {"description": m.description})
        for target in m.toc:
            if plan.element(target) is None:
                problems.append(Problem(m.id, "toc", Text.of("plan_unknown_link", id=target)))
        for a in m.activities:
            problems += _id(a.id) + _duplicate(a.id, seen) + _common(a.id, a)
    return problems


def _common(item: str, x: Measure | Activity) -> list[Problem]:
    """The checks a measure and an activity share."""
    problems = _lengths(item, {"name": x.name, "responsible": x.responsible,
                               "comment": x.comment})
    if not x.name.strip():
        problems.append(Problem(item, "name", Text.of("plan_empty", field="name")))
    if x.start and x.end and x.start > x.end:
        problems.append(Problem(item, "end", Text.of("plan_end_before_start")))
    for name, value, allowed in (("priority", x.priority, PRIORITIES),
                                 ("scope", x.scope, SCOPES), ("status", x.status, STATUSES)):
        if value is not None and value not in allowed:
            problems.append(Problem(item, name, Text.of("plan_bad_value", value=value,
                                                        allowed=", ".join(allowed))))
    return problems
