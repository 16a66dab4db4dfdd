"""Municipal short-term stays (korttidsopphold) and the bed census of the after-care and
short-term units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flyt.demo import model
from flyt.demo.reference import Reference
from flyt.demo.stays import DEST, StayTable, daytime_discharge
from flyt.demo.timeline import (
    MINUTES_PER_DAY,
    NONE,
    categorical,
    sample_days,
    sample_minutes_of_day,
    weekdays_of,
    years_of,
)
from flyt.domain.months import SNAPSHOT_DAYS

FROM_HOME_PER_FROM_HOSPITAL = 0.7
TRONDHEIM_OYA_SHARE = 0.45  # Trondheim has two short-term units
OYA_KORTTID = "Øya helsehus korttid"
CENSUS_UNITS = ("Røros sykehus", "Øya helsehus", "Fosen DMS")  # the after-care units
AFTERCARE_OTHERS = 0.72  # the share of an after-care unit's beds other patients take
SHORT_TERM_OTHERS = 0.45  # of a short-term unit's, besides the stays the demo draws
_WORK_HOURS = np.array([0] * 9 + [3, 4, 4, 4, 3, 2, 1] + [0] * 8)


@dataclass
class ShortStays:
    patient: np.ndarray  # int64 in the same numbering as the stays
    municipality: np.ndarray  # int16 index into Reference.codes
    unit: np.ndarray  # int16 index into unit_names
    started: np.ndarray
    ended: np.ndarray  # NONE = ongoing
    from_hospital: np.ndarray
    unit_names: tuple[str, ...]


def _units(rng: np.random.Generator, ref: Reference, muni: np.ndarray,
           names: tuple[str, ...]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    first = np.array([index[ref.short_term_units(c)[0]] for c in ref.codes])
    second = np.array([index[(ref.short_term_units(c) * 2)[1]] for c in ref.codes])
    # the first listed unit of Trondheim is Øya helsehus korttid
    return np.where(rng.random(len(muni)) < TRONDHEIM_OYA_SHARE, first[muni],
                    second[muni]).astype(np.int16)


def _lengths(rng: np.random.Generator, started: np.ndarray, unit: np.ndarray, oya: int,
             median_days: float) -> np.ndarray:
    """Two to four weeks with a tail; shorter from 2024 as the measures work (KPI 6)."""
    year = years_of(started // MINUTES_PER_DAY)
    trend = np.where(unit == oya, np.select([year >= 2025, year == 2024], [0.8, 0.9], 1.0),
                     np.where(year >= 2025, 0.95, 1.0))
    days = np.minimum(np.exp(np.log(median_days * trend) + 0.6 * rng.normal(0, 1, len(year))),
                      300)
    return (days * MINUTES_PER_DAY).astype(np.int64)


def short_stays(rng: np.random.Generator, ref: Reference, stays: StayTable,
                next_admission: np.ndarray, start_day: int, cutoff: int,
                next_patient: int) -> ShortStays:
    """From hospital: every stay discharged to korttidsopphold (ended early by a
    readmission); from home: a share more, spread over the period."""
    names = tuple(n for c in ref.codes for n in ref.short_term_units(c))
    oya = names.index(OYA_KORTTID) if OYA_KORTTID in names else -1
    src = np.flatnonzero((stays.destination == DEST["korttidsopphold"])
                         & (stays.discharged != NONE))
    h_start = stays.discharged[src] + rng.integers(20, 151, len(src))
    nxt = next_admission[src]
    ok = (h_start < cutoff) & ((nxt == NONE) | (nxt >= h_start))
    src, h_start, nxt = src[ok], h_start[ok], nxt[ok]
    h_muni = stays.municipality[src]
    h_unit = _units(rng, ref, h_muni, names)
    h_end = daytime_discharge(rng, h_start, _lengths(rng, h_start, h_unit, oya, 18.0))
    back = nxt != NONE
    h_end[back] = np.minimum(h_end[back], nxt[back])  # readmitted from the short-term stay

    n_home = int(round(len(src) * FROM_HOME_PER_FROM_HOSPITAL))
    days = np.arange(start_day, cutoff // MINUTES_PER_DAY)
    weights = np.array([1.2, 1.1, 1.1, 1.0, 1.0, 0.3, 0.2])[weekdays_of(days)]
    o_start = sample_days(rng, weights, start_day, n_home, stratified=False) * MINUTES_PER_DAY \
        + sample_minutes_of_day(rng, _WORK_HOURS, n_home)
    o_muni = categorical(rng, ref.population / ref.population.sum(), n_home).astype(np.int16)
    o_unit = _units(rng, ref, o_muni, names)
    o_end = daytime_discharge(rng, o_start, _lengths(rng, o_start, o_unit, oya, 14.0))

    ended = np.concatenate([h_end, o_end])
    ended[ended >= cutoff] = NONE
    return ShortStays(
        patient=np.concatenate([stays.patient[src], next_patient + np.arange(n_home)]),
        municipality=np.concatenate([h_muni, o_muni]),
        unit=np.concatenate([h_unit, o_unit]),
        started=np.concatenate([h_start, o_start]),
        ended=ended,
        from_hospital=np.concatenate([np.ones(len(src), bool), np.zeros(n_home, bool)]),
        unit_names=names,
    )


@dataclass
class BedCensus:
    unit: np.ndarray  # index into unit_names
    at: np.ndarray
    available: np.ndarray
    occupied: np.ndarray
    unit_names: tuple[str, ...]


def _present(starts: np.ndarray, ends: np.ndarray, at: np.ndarray) -> np.ndarray:
    """How many of the stays (start, end; NONE = still there) are there at each moment."""
    ends = np.sort(np.where(ends == NONE, np.iinfo(np.int64).max, ends))
    return np.searchsorted(np.sort(starts), at, side="right") - np.searchsorted(
        ends, at, side="right")


def bed_census(rng: np.random.Generator, ref: Reference, stays: StayTable, location_names:
               tuple[str, ...], short: ShortStays, start_day: int, cutoff: int) -> BedCensus:
    """Monday and Thursday 08:00 for each after-care unit (the utlokaliserte UKP patients
    lying there plus other after-care patients) and each short-term unit (its short-term
    stays plus other residents: respite, rehabilitation, waiting for a long-term place);
    in the busy seasons sometimes overbelegg. The after-care units are drawn first, so
    their counts are those of demos made before the short-term units were counted."""
    days = np.arange(start_day, cutoff // MINUTES_PER_DAY + 1)
    days = days[np.isin(weekdays_of(days), SNAPSHOT_DAYS)]
    at = days * MINUTES_PER_DAY + 8 * 60
    at = at[at < cutoff]
    pressure = model.ukp_season(at // MINUTES_PER_DAY)
    names = (*CENSUS_UNITS, *short.unit_names)
    parts = []
    for k, name in enumerate(names):
        beds = ref.units[name][2] or 1
        if k < len(CENSUS_UNITS):
            here = stays.location == location_names.index(name)
            present = _present(stays.ready[here], stays.discharged[here], at)
            share = AFTERCARE_OTHERS
        else:
            here = short.unit == short.unit_names.index(name)
            present = _present(short.started[here], short.ended[here], at)
            share = SHORT_TERM_OTHERS
        others = rng.binomial(beds, np.clip(share * (1 + 0.25 * (pressure - 1)), 0, 0.97))
        parts.append((np.full(len(at), k), at, np.full(len(at), beds), present + others))
    unit, at_all, avail, occ = (np.concatenate(c) for c in zip(*parts, strict=True))
    order = np.lexsort((unit, at_all))
    return BedCensus(unit[order], at_all[order], avail[order], occ[order], names)
