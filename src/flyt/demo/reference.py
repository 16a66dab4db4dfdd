"""The reference data the demo draws on: municipalities and units (packaged CSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Reference:
    codes: list[str]  # kommunenummer, 4 digits
    regions: list[str]
    population: np.ndarray
    units: dict[str, tuple[str, str, int | None]]  # name -> (kind, owner, beds_default)

    def short_term_units(self, code: str) -> list[str]:
        return [n for n, (kind, owner, _) in self.units.items()
                if kind == "short_term" and owner == code]

    def units_of_kind(self, kind: str) -> list[str]:
        return [n for n, (k, _, _) in self.units.items() if k == kind]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("flyt").joinpath("reference", name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def load_reference() -> Reference:
    munis = _rows("municipalities.csv")
    units = {
        r["unit"]: (r["kind"], r["owner"], int(r["beds_default"]) if r["beds_default"] else None)
        for r in _rows("units.csv")
    }
    return Reference(
        codes=[r["kommunenummer"].zfill(4) for r in munis],
        regions=[r["region"] for r in munis],
        population=np.array([float(r["population_approx"]) for r in munis]),
        units=units,
    )
