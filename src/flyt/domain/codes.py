"""Coded values of the canonical formats (spec/formats.md) and the six KPIs (spec/kpi.md).

Every module that validates, computes or displays a code takes it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SECTORS = ("somatikk", "psykisk_helsevern")
ALL_SECTORS = "alle"  # both sectors together, a reporting group only
ADMISSION_TYPES = ("akutt", "planlagt")
DISCHARGE_DESTINATIONS = (
    "hjem",
    "hjem_med_tjenester",
    "korttidsopphold",
    "langtidsopphold",
    "annen_institusjon",
    "dod",
    "annet",
)
HOME_DESTINATIONS = ("hjem", "hjem_med_tjenester")  # KPI 4
DEATH = "dod"
SEXES = ("k", "m")
UNIT_KINDS = ("hospital", "aftercare", "short_term")
COMMUNITY_ID = "all"


class Better(Enum):
    LOWER = "lower"
    HIGHER = "higher"


class Measure(Enum):
    COUNT = "count"  # value = numerator (KPI 1: UKP days)
    SHARE = "share"  # percentage, one decimal
    MEAN = "mean"  # mean, two decimals


@dataclass(frozen=True)
class Kpi:
    number: int
    name_nb: str
    name_en: str
    measure: Measure
    better: Better

    @property
    def decimals(self) -> int:
        return {Measure.COUNT: 0, Measure.SHARE: 1, Measure.MEAN: 2}[self.measure]


KPIS: dict[int, Kpi] = {
    k.number: k
    for k in (
        Kpi(1, "Antall UKP-døgn", "UKP days", Measure.COUNT, Better.LOWER),
        Kpi(2, "Andel UKP med 0 døgn", "Share of UKP with 0 days", Measure.SHARE, Better.HIGHER),
        Kpi(3, "Gjennomsnittlig liggetid som UKP", "Mean UKP days", Measure.MEAN, Better.LOWER),
        Kpi(4, "Andel som reiser rett hjem", "Share discharged home", Measure.SHARE, Better.HIGHER),
        Kpi(5, "Andel reinnleggelser < 30 døgn", "Readmissions < 30 days", Measure.SHARE,
            Better.LOWER),
        Kpi(6, "Liggetid korttidsopphold", "Length of short-term stays", Measure.MEAN,
            Better.LOWER),
    )
}
