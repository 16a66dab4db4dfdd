"""The community's reference data an input file is checked against: municipalities and units."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from flyt.domain.codes import UNIT_KINDS


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
        folder = resources.files("flyt") / "reference"
        municipalities = _rows(folder.joinpath("municipalities.csv").read_text("utf-8"))
        units = _rows(folder.joinpath("units.csv").read_text("utf-8"))
        return cls(
            municipalities=frozenset(r["kommunenummer"].strip().zfill(4) for r in municipalities),
            units=MappingProxyType({r["unit"].strip(): r["kind"].strip() for r in units}),
        )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def unit_key(name: str) -> str:
    """How a unit name is matched: case and extra blanks do not matter."""
    return " ".join(name.split()).lower()
