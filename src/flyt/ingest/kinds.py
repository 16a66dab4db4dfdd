"""The four canonical file kinds (spec/formats.md): their columns, keys and row rules.

A table maps a kind to its spec; the engine (checks.py) turns a spec into SQL.
Rules are SQL over the parsed row: `v_<column>` is the typed value (NULL when
empty or unreadable), a bare `<column>` the cell's text (NULL when empty).
A rule's reason may quote a cell as `{column}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pyarrow as pa

from flyt.domain.codes import ADMISSION_TYPES, DISCHARGE_DESTINATIONS, SECTORS, SEXES

TIMESTAMP = pa.timestamp("us")


class Type(Enum):
    TEXT = "text"
    CODE = "code"
    MUNICIPALITY = "municipality"
    UNIT = "unit"
    TIMESTAMP = "timestamp"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    FNR = "fnr"  # a national id: validated, pseudonymised into patient_id, never output


ARROW_TYPES: dict[Type, pa.DataType] = {
    Type.TEXT: pa.string(),
    Type.CODE: pa.string(),
    Type.MUNICIPALITY: pa.string(),
    Type.UNIT: pa.string(),
    Type.TIMESTAMP: TIMESTAMP,
    Type.INTEGER: pa.int32(),
    Type.BOOLEAN: pa.bool_(),
    Type.FNR: pa.string(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: Type
    required: bool = False
    codes: tuple[str, ...] = ()  # CODE: the allowed values
    unit_kinds: tuple[str, ...] = ()  # UNIT: allowed unit kinds; empty = any known unit
    low: int | None = None  # INTEGER bounds, inclusive
    high: int | None = None
    up_to_this_year: bool = False  # INTEGER: the upper bound is the current year
    refuse_fnr: bool = False  # TEXT: a national id here belongs in the column fnr (say so)
    max_length: int | None = None  # TEXT: longer text is an error (it is stored and shown)

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Rule:
    column: str  # where the error is reported; its text is the error's value
    bad: str  # SQL, true when the row breaks the rule
    reason: str  # plain words; "{name}" quotes that cell


@dataclass(frozen=True)
class Derived:
    name: str
    sql: str
    arrow_type: pa.DataType


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique within a file
    rules: tuple[Rule, ...] = ()
    derived: tuple[Derived, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def has_identity(self) -> bool:
        """patient_id may come as fnr instead."""
        return any(c.type is Type.FNR for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def output(self) -> tuple[str, ...]:
        """The canonical columns, in order (derived ones last)."""
        return tuple(c.name for c in self.columns if c.type is not Type.FNR) + tuple(
            d.name for d in self.derived
        )


def schema(kind: Kind) -> pa.Schema:
    fields = [pa.field(c.name, c.arrow_type) for c in kind.columns if c.type is not Type.FNR]
    fields += [pa.field(d.name, d.arrow_type) for d in kind.derived]
    return pa.schema([*fields, pa.field("_row", pa.int32())])


# Text is stored and shown on pages and in reports: how long it may be. An id needs
# no more than 64 characters; a pseudonym "h:" + 64 hex digits fits in 128.
ID_LENGTH, PATIENT_ID_LENGTH, FREE_TEXT_LENGTH = 64, 128, 200

# Required unless fnr is given (a rule checks it); a real national id here would be stored.
PATIENT_ID = Column("patient_id", Type.TEXT, refuse_fnr=True, max_length=PATIENT_ID_LENGTH)
STAY_ID = Column("stay_id", Type.TEXT, required=True, max_length=ID_LENGTH)
FNR = Column("fnr", Type.FNR)
PATIENT_RULE = Rule("patient_id", "patient_id IS NULL AND fnr IS NULL",
                    "patient_id (or fnr) is required but empty")

STAYS = Kind(
    name="stays",
    columns=(
        STAY_ID,
        PATIENT_ID,
        Column("municipality", Type.MUNICIPALITY, required=True),
        Column("sector", Type.CODE, required=True, codes=SECTORS),
        Column("admission_type", Type.CODE, required=True, codes=ADMISSION_TYPES),
        Column("admitted_at", Type.TIMESTAMP, required=True),
        Column("ready_at", Type.TIMESTAMP),
        Column("discharged_at", Type.TIMESTAMP),
        Column("discharge_destination", Type.CODE, codes=DISCHARGE_DESTINATIONS),
        Column("location", Type.UNIT, unit_kinds=("hospital", "aftercare")),
        Column("department", Type.TEXT, max_length=FREE_TEXT_LENGTH),
        Column("birth_year", Type.INTEGER, low=1900, up_to_this_year=True),
        Column("sex", Type.CODE, codes=SEXES),
        Column("frailty_score", Type.INTEGER, low=1, high=9),
        FNR,
    ),
    key=("stay_id",),
    rules=(
        PATIENT_RULE,
        Rule("ready_at", "v_ready_at < v_admitted_at",
             "ready_at {ready_at} is before admitted_at {admitted_at}"),
        Rule("discharged_at", "v_discharged_at < v_admitted_at",
             "discharged_at {discharged_at} is before admitted_at {admitted_at}"),
        Rule("discharged_at", "v_discharged_at < v_ready_at",
             "discharged_at {discharged_at} is before ready_at {ready_at}"),
        Rule("discharge_destination", "discharged_at IS NOT NULL AND discharge_destination IS NULL",
             "discharge_destination is required when discharged_at is given"),
        Rule("discharge_destination", "discharge_destination IS NOT NULL AND discharged_at IS NULL",
             "discharge_destination is given but discharged_at is empty"),
    ),
)

UKP_PERIODS = Kind(
    name="ukp-periods",
    columns=(
        STAY_ID,
        Column("ready_from", Type.TIMESTAMP, required=True),
        Column("ready_to", Type.TIMESTAMP),
    ),
    key=("stay_id", "ready_from"),
    rules=(
        Rule("ready_to", "v_ready_to < v_ready_from",
             "ready_to {ready_to} is before ready_from {ready_from}"),
    ),
)

SHORT_STAYS = Kind(
    name="short-stays",
    columns=(
        STAY_ID,
        PATIENT_ID,
        Column("municipality", Type.MUNICIPALITY, required=True),
        Column("unit", Type.UNIT, required=True, unit_kinds=("short_term",)),
        Column("started_at", Type.TIMESTAMP, required=True),
        Column("ended_at", Type.TIMESTAMP),
        Column("from_hospital", Type.BOOLEAN),
        FNR,
    ),
    key=("stay_id",),
    rules=(
        PATIENT_RULE,
        Rule("ended_at", "v_ended_at < v_started_at",
             "ended_at {ended_at} is before started_at {started_at}"),
    ),
)

BEDS = Kind(
    name="beds",
    columns=(
        Column("unit", Type.UNIT, required=True),
        Column("at", Type.TIMESTAMP, required=True),
        Column("available", Type.INTEGER, required=True, low=0),
        Column("occupied", Type.INTEGER, required=True, low=0),
    ),
    key=("unit", "at"),
    derived=(Derived("over_capacity", "v_occupied > v_available", pa.bool_()),),  # overbelegg
)

KIND_SPECS: dict[str, Kind] = {k.name: k for k in (STAYS, UKP_PERIODS, SHORT_STAYS, BEDS)}
