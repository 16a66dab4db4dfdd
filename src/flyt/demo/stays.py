"""Columnar hospital stays and the attributes every kind of stay draws the same way."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from flyt.demo.timeline import MINUTES_PER_DAY, NONE, sample_minutes_of_day, years_of
from flyt.domain.codes import DISCHARGE_DESTINATIONS

DEPARTMENTS = (
    "Medisinsk klinikk", "Kirurgisk klinikk", "Ortopedisk avdeling", "Klinikk for hjertemedisin",
    "Lungemedisinsk avdeling", "Nevroklinikken", "Geriatrisk avdeling", "Kreftklinikken",
    "Kvinneklinikken", "Barne- og ungdomsklinikken",
    "Klinikk for psykisk helsevern", "Avdeling Østmarka", "Avdeling Brøset", "Nidaros DPS",
    "Orkdal DPS",
)
_N_SOMATIC_DEPTS = 10
_DEPT_WEIGHTS = {  # (sector index, is UKP) -> weights over that sector's departments
    (0, True): [0.35, 0.10, 0.15, 0.08, 0.08, 0.12, 0.10, 0.02, 0.0, 0.0],
    (0, False): [0.25, 0.20, 0.12, 0.10, 0.07, 0.06, 0.03, 0.07, 0.10, 0.0],
    (1, True): [0.20, 0.45, 0.15, 0.10, 0.10],
    (1, False): [0.20, 0.30, 0.05, 0.30, 0.15],
}
DEST = {name: i for i, name in enumerate(DISCHARGE_DESTINATIONS)}
DAYTIME_DISCHARGE_HOURS = np.array([0] * 9 + [3, 8, 10, 10, 9, 8, 6, 4, 2, 1] + [0] * 5)


@dataclass
class StayTable:
    """One row per hospital stay; minute columns use NONE for an empty cell, codes -1."""

    patient: np.ndarray  # int64, local to the generator until renumbered
    municipality: np.ndarray  # int16 index into Reference.codes
    sector: np.ndarray  # int8 index into SECTORS
    acute: np.ndarray  # bool: admission_type akutt
    admitted: np.ndarray  # int64 minutes
    ready: np.ndarray  # int64 minutes or NONE
    discharged: np.ndarray  # int64 minutes or NONE
    destination: np.ndarray  # int8 index into DISCHARGE_DESTINATIONS, -1 = none
    location: np.ndarray  # int8 index into the location names, -1 = none
    department: np.ndarray  # int8 index into DEPARTMENTS
    birth_year: np.ndarray  # int16
    female: np.ndarray  # bool
    frailty: np.ndarray  # int8, 0 = empty
    withdrawn: np.ndarray  # int64: end (avmelding) of a withdrawn first UKP period, or NONE
    ready_again: np.ndarray  # int64: start of the second UKP period, or NONE

    def __len__(self) -> int:
        return len(self.admitted)

    @classmethod
    def concat(cls, parts: list[StayTable]) -> StayTable:
        """Concatenate, releasing the parts' columns one by one as they are copied."""
        cols = {}
        for f in fields(cls):
            cols[f.name] = np.concatenate([getattr(p, f.name) for p in parts])
            for p in parts:
                setattr(p, f.name, None)
        return cls(**cols)

    def take(self, idx: np.ndarray) -> StayTable:
        return StayTable(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    def reorder(self, idx: np.ndarray) -> None:
        """Take rows in place, one column at a time (less memory than take)."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name)[idx])

    def apply_cutoff(self, cutoff: int) -> None:
        """Nothing at or after the cut-off exists: later events become empty cells.

        Events of a stay are ordered (admitted <= ready <= withdrawn <= ready_again
        <= discharged), so blanking every moment past the cut-off keeps them consistent.
        """
        for name in ("ready", "withdrawn", "ready_again", "discharged"):
            col = getattr(self, name)
            col[col >= cutoff] = NONE
        self.destination[self.discharged == NONE] = -1
        self.location[self.ready == NONE] = -1


def departments(rng: np.random.Generator, sector: np.ndarray, ukp: bool, age: np.ndarray,
                female: np.ndarray) -> np.ndarray:
    out = np.empty(len(sector), dtype=np.int8)
    for s in (0, 1):
        sel = np.flatnonzero(sector == s)
        w = np.asarray(_DEPT_WEIGHTS[(s, ukp)], dtype=np.float64)
        cum = np.cumsum(w) / w.sum()
        pick = np.minimum(np.searchsorted(cum, rng.random(len(sel)), side="right"), len(w) - 1)
        out[sel] = pick + (0 if s == 0 else _N_SOMATIC_DEPTS)
    som = sector == 0
    out[som & (out == 8) & ~female] = 0  # Kvinneklinikken only for women
    out[som & (age < 18)] = 9  # children: Barne- og ungdomsklinikken
    return out


def frailty(rng: np.random.Generator, age: np.ndarray, sector: np.ndarray,
            ukp: bool) -> np.ndarray:
    """Clinical Frailty Scale 1–9 from age, higher among UKP; empty (0) for children."""
    base = 1.0 + np.clip(age - 30, 0, None) / 11.0 + (1.6 if ukp else 0.0) - 0.8 * sector
    cfs = np.clip(np.rint(base + rng.normal(0, 1.1, len(age))), 1, 9).astype(np.int8)
    cfs[age < 18] = 0
    return cfs


def ages(admitted: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    return years_of(admitted // MINUTES_PER_DAY) - birth_year


def daytime_discharge(rng: np.random.Generator, admitted: np.ndarray,
                      length_minutes: np.ndarray) -> np.ndarray:
    """Discharge on the day reached after length_minutes, at a daytime hour, after admission."""
    day = (admitted + length_minutes) // MINUTES_PER_DAY
    out = day * MINUTES_PER_DAY + sample_minutes_of_day(rng, DAYTIME_DISCHARGE_HOURS, len(day))
    early = out < admitted + 60
    out[early] = admitted[early] + rng.integers(60, 300, int(early.sum()))
    return out


def lognormal_minutes(rng: np.random.Generator, median_days: float | np.ndarray, sigma: float,
                      n: int, cap_days: float) -> np.ndarray:
    days = np.minimum(np.exp(np.log(median_days) + sigma * rng.normal(0, 1, n)), cap_days)
    return (days * MINUTES_PER_DAY).astype(np.int64)
