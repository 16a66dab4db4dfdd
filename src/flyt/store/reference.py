"""The community's reference data: municipalities (with region and population) and
units, read in one place.

The packaged starting point is ``flyt/reference/*.csv`` (the St. Olavs hospital
community): the store is seeded from it, the file checks and the demo read it. The store's
own tables (``municipalities``, ``units``; replaced with ``flyt reference load``) are what
reports, pages and checks read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import sqlalchemy as sa

from flyt.store import schema

if TYPE_CHECKING:
    from flyt.store.db import Database


@dataclass(frozen=True)
class Municipality:
    code: str  # kommunenummer, 4 digits
    name: str
    region: str
    population: int | None


@dataclass(frozen=True)
class Organisation:
    """Who can report and receive a deviation (spec/deviations.md, "Organisations")."""

    org_id: str  # "stolav", a kommunenummer, or "fastlege-<kommunenummer>"
    name: str
    kind: str  # sykehus | kommune | fastlege
    municipality: str | None  # the municipality it belongs to; None for the hospital


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str  # hospital | aftercare | short_term (flyt.domain.codes.UNIT_KINDS)
    owner: str
    beds_default: int | None


def _packaged_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("flyt.reference") / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _number(text: str) -> int | None:
    return int(text) if text.strip() else None


def packaged_municipalities() -> list[Municipality]:
    """The packaged municipalities, in the file's order."""
    return [Municipality(r["kommunenummer"].strip().zfill(4), r["name"].strip(),
                         r["region"].strip(), _number(r["population_approx"]))
            for r in _packaged_rows("municipalities.csv")]


def packaged_organisations() -> list[Organisation]:
    """The packaged organisations (``organisations.csv``, copied from the contract's
    data), in the file's order."""
    return [Organisation(r["org_id"].strip(), r["name"].strip(), r["kind"].strip(),
                         r["municipality"].strip() or None)
            for r in _packaged_rows("organisations.csv")]


def packaged_units() -> list[Unit]:
    """The packaged units, in the file's order."""
    return [Unit(r["unit"].strip(), r["kind"].strip(), r["owner"].strip(),
                 _number(r["beds_default"])) for r in _packaged_rows("units.csv")]


def seed_reference(conn: sa.Connection) -> None:
    """Load the packaged reference data into an empty store (editable later)."""
    conn.execute(schema.municipalities.insert(), [
        {"code": m.code, "name": m.name, "region": m.region, "population": m.population}
        for m in packaged_municipalities()])
    conn.execute(schema.units.insert(), [
        {"name": u.name, "kind": u.kind, "owner": u.owner, "beds_default": u.beds_default}
        for u in packaged_units()])


def municipalities(db: Database) -> list[Municipality]:
    """The store's municipalities, by code."""
    m = schema.municipalities.c
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(m.code, m.name, m.region, m.population)
                            .order_by(m.code)).all()
    return [Municipality(r.code, r.name, r.region, r.population) for r in rows]


def is_municipality(conn: sa.Connection, code: str) -> bool:
    """Whether the store knows the municipality (within the caller's transaction)."""
    m = schema.municipalities.c
    return conn.execute(sa.select(m.code).where(m.code == code)).first() is not None


def unit_kinds(db: Database) -> dict[str, str]:
    """Each unit's kind (hospital | aftercare | short_term), by name."""
    u = schema.units.c
    with db.engine.connect() as conn:
        return dict(conn.execute(sa.select(u.name, u.kind)).all())


def unit_owners(db: Database) -> dict[str, str]:
    """Each unit's owner (a municipality's code for its own units)."""
    u = schema.units.c
    with db.engine.connect() as conn:
        return dict(conn.execute(sa.select(u.name, u.owner)).all())
