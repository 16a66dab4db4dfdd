"""The community's reference data an input file is checked against: municipalities and units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flyt.domain.codes import UNIT_KINDS
from flyt.store.reference import packaged_municipalities, packaged_units


@dataclass(frozen=True)
class Reference:
    municipalities: frozenset[str]  # 4-digit kommunenummer
    units: Mapping[str, str]  # unit name -> kind ("hospital" | "aftercare" | "short_term")

    def __post_init__(self) -> None:
        bad = {name: kind for name, kind in self.units.items() if kind not in UNIT_KINDS}
        if bad:
            raise ValueError(f"unknown unit kinds: {bad}")

    @classmethod
    def default(cls) -> Reference:
        """The packaged starting point (flyt/reference/*.csv): the St. Olavs hospital community."""
        return cls(
            municipalities=frozenset(m.code for m in packaged_municipalities()),
            units=MappingProxyType({u.name: u.kind for u in packaged_units()}),
        )


def unit_key(name: str) -> str:
    """How a unit name is matched: case and extra blanks do not matter."""
    return " ".join(name.split()).lower()
