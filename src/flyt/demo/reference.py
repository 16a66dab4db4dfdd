"""The reference data the demo draws on: municipalities and units (packaged CSV)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flyt.store.reference import packaged_municipalities, packaged_units


@dataclass(frozen=True)
class Reference:
    codes: list[str]  # kommunenummer, 4 digits
    regions: list[str]
    population: np.ndarray
    units: dict[str, tuple[str, str, int | None]]  # name -> (kind, owner, beds_default)

    def short_term_units(self, code: str) -> list[str]:
        return [n for n, (kind, owner, _) in self.units.items()
                if kind == "short_term" and owner == code]


def load_reference() -> Reference:
    munis = packaged_municipalities()
    return Reference(
        codes=[m.code for m in munis],
        regions=[m.region for m in munis],
        population=np.array([float(m.population or 0) for m in munis]),
        units={u.name: (u.kind, u.owner, u.beds_default) for u in packaged_units()},
    )
