"""UKP stays (utskrivningsklare pasienter) and the acute readmissions that follow them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flyt.demo import model
from flyt.demo.reference import Reference
from flyt.demo.stays import (
    DEST,
    StayTable,
    ages,
    daytime_discharge,
    departments,
    frailty,
    lognormal_minutes,
)
from flyt.demo.timeline import (
    MINUTES_PER_DAY,
    NONE,
    categorical,
    categorical_rows,
    sample_days,
    sample_minutes_of_day,
    stratified_uniforms,
    weekdays_of,
    years_of,
)
from flyt.demo.waits import continuous_waits, held_to_targets, round_waits, ukp_discharge

LOCATIONS = ("St. Olavs hospital", "Orkdal sykehus", "Røros sykehus", "Øya helsehus", "Fosen DMS")
AFTERCARE_FOR = {  # where a municipality's UKP patients are utlokalisert, and how often
    "Fjellregionen": (2, 0.45),
    "Fosen": (4, 0.30),
    "Trondheim": (3, 0.22),
}
WITHDRAWN_SHARE = 0.02
READY_HOURS = np.array([0] * 8 + [4, 8, 10, 10, 9, 8, 6, 4, 1, 1] + [0] * 6)
_WORK_HOURS = np.array([0] * 8 + [1] * 8 + [0] * 8)

# Destinations after UKP, in the order of codes.DISCHARGE_DESTINATIONS:
# hjem, hjem_med_tjenester, korttidsopphold, langtidsopphold, annen_institusjon, dod, annet
_SOMATIC_DEST = np.array([0.06, 0.25, 0.47, 0.09, 0.04, 0.03, 0.06])
_SOMATIC_SHIFT = np.array([0.04, 0.08, -0.10, -0.02, 0.0, 0.0, 0.0])  # after 2 years of measures
_MENTAL_DEST = np.array([0.15, 0.42, 0.03, 0.01, 0.22, 0.005, 0.165])
_READMIT_DEST = np.array([0.30, 0.35, 0.15, 0.03, 0.04, 0.05, 0.08])

# Readmission gap classes: (probability, lowest, highest minutes, exact edge value).
# The edges of KPI 5 (8 h < gap <= 30 × 24 h) are populated on purpose.
READMISSION_GAPS = (
    (0.010, 420, 479, 480),  # just under / exactly 8 h: not a readmission
    (0.010, 482, 540, 481),  # just over 8 h: counts
    (0.130, 540, 43139, None),  # the bulk, most in the first week
    (0.010, 43140, 43199, 43200),  # just under / exactly 30 days: counts
    (0.015, 43202, 44640, 43201),  # just over 30 days: does not count
)


@dataclass(frozen=True)
class Climate:
    """UKP pressure per day from first_day: level (trend) and season."""

    first_day: int
    level: np.ndarray
    season: np.ndarray

    @classmethod
    def build(cls, first_day: int, last_day: int) -> Climate:
        days = np.arange(first_day, last_day + 1)
        return cls(first_day, model.ukp_level(days), model.ukp_season(days))

    def wait_multiplier(self, day: np.ndarray) -> np.ndarray:
        i = np.clip(day - self.first_day, 0, len(self.level) - 1)
        return (self.level[i] ** (1 - model.COUNT_ELASTICITY)
                * self.season[i] ** (1 - model.SEASON_COUNT_SHARE))


def ukp_destinations(rng: np.random.Generator, sector: np.ndarray, days: np.ndarray,
                     end: np.ndarray) -> np.ndarray:
    """Destination after UKP: the measures from 2024 send more patients straight home."""
    year = years_of(end // MINUTES_PER_DAY)
    progress = np.clip(year - 2023, 0, 2)[:, None] / 2.0
    p = _SOMATIC_DEST[None, :] + progress * _SOMATIC_SHIFT[None, :]
    long = days > 8
    p[long, DEST["langtidsopphold"]] *= 2.5
    p[long, DEST["hjem"]] *= 0.5
    p[sector == 1] = _MENTAL_DEST
    return categorical_rows(rng, p).astype(np.int8)


def ukp_locations(rng: np.random.Generator, ref: Reference, muni: np.ndarray,
                  sector: np.ndarray, aftercare_scale: float) -> np.ndarray:
    """Hospital site by region; some somatic UKP patients lie in after-care beds.

    After-care beds are a fixed number, so at larger sizes fewer patients fit:
    the probability is scaled by aftercare_scale (<= 1).
    """
    region = np.array(ref.regions)[muni]
    codes = np.array(ref.codes)[muni]
    p_orkdal = np.where(region == "Trøndelag sørvest", 0.7,
                        np.where(np.isin(codes, ["5029", "5028"]), 0.25, 0.04))
    loc = np.where(rng.random(len(muni)) < p_orkdal, 1, 0).astype(np.int8)
    u = rng.random(len(muni))
    for area, (unit, p) in AFTERCARE_FOR.items():
        hit = (sector == 0) & (region == area)
        loc[hit & (u < p * aftercare_scale)] = unit
    loc[sector == 1] = 0
    return loc


def _birth_years(rng: np.random.Generator, admitted: np.ndarray, sector: np.ndarray,
                 n: int) -> tuple[np.ndarray, np.ndarray]:
    age = np.where(sector == 0, np.clip(rng.normal(81, 7.5, n), 35, 103),
                   np.clip(rng.normal(47, 16, n), 18, 92)).astype(np.int64)
    birth = years_of(admitted // MINUTES_PER_DAY) - age - (rng.random(n) < 0.5)
    return birth.astype(np.int16), age


def ukp_stays(rng: np.random.Generator, ref: Reference, climate: Climate, start_day: int,
              cutoff_day: int, scale: float) -> StayTable:
    """UKP stays declared ready from start to shortly after the cut-off (those are
    in hospital at the cut-off, not yet ready)."""
    days = np.arange(start_day, cutoff_day + 45)
    i = days - climate.first_day
    rate = (model.UKP_STAYS_PER_DAY_2022 * scale
            * climate.level[i] ** model.COUNT_ELASTICITY
            * climate.season[i] ** model.SEASON_COUNT_SHARE
            * model.READY_WEEKDAY[weekdays_of(days)])
    n = int(round(rate.sum()))
    ready_day = sample_days(rng, rate, start_day, n, stratified=True)
    # sector, municipality and wait are stratified per year: stable yearly totals
    year = years_of(ready_day)
    sector = (stratified_uniforms(rng, year) < model.MENTAL_HEALTH_SHARE_OF_UKP).astype(np.int8)
    muni_w, muni_mult = model.municipality_weights(ref.codes, ref.population)
    muni = categorical(rng, muni_w, n, stratified_uniforms(rng, year)).astype(np.int16)
    u = stratified_uniforms(rng, year * 2 + sector, spread=True)
    x = continuous_waits(u, sector, climate.wait_multiplier(ready_day) * muni_mult[muni])

    ready = ready_day * MINUTES_PER_DAY + sample_minutes_of_day(rng, READY_HOURS, n)
    w = rng.random(n) < WITHDRAWN_SHARE
    withdrawn = (ready_day + rng.integers(1, 6, n)) * MINUTES_PER_DAY \
        + sample_minutes_of_day(rng, _WORK_HOURS, n)
    ready_again = (withdrawn // MINUTES_PER_DAY + rng.integers(2, 11, n)) * MINUTES_PER_DAY \
        + sample_minutes_of_day(rng, READY_HOURS, n)
    last_day = np.where(w, ready_again, ready) // MINUTES_PER_DAY
    first_len = np.where(w, withdrawn // MINUTES_PER_DAY - ready_day, 0)
    d = held_to_targets(x, ready_day, first_len, last_day, start_day, cutoff_day, scale)
    discharged = ukp_discharge(rng, np.where(w, ready_again, ready), d)
    ukp_total = (discharged // MINUTES_PER_DAY - ready_day
                 - np.where(w, ready_again // MINUTES_PER_DAY - withdrawn // MINUTES_PER_DAY, 0))

    admitted = ready - lognormal_minutes(rng, np.where(sector == 0, 4.5, 18.0), 0.75, n, 120)
    start_min = start_day * MINUTES_PER_DAY
    early = np.flatnonzero(admitted < start_min)
    admitted[early] = start_min + (rng.random(len(early)) * (ready[early] - start_min)).astype(
        np.int64)
    birth_year, age = _birth_years(rng, admitted, sector, n)
    female = rng.random(n) < np.where(sector == 0, 0.57, 0.48)
    table = StayTable(
        patient=np.arange(n, dtype=np.int64),
        municipality=muni,
        sector=sector,
        acute=rng.random(n) < np.where(sector == 0, 0.88, 0.80),
        admitted=admitted,
        ready=ready,
        discharged=discharged,
        destination=ukp_destinations(rng, sector, ukp_total, discharged),
        location=ukp_locations(rng, ref, muni, sector, min(1.0, 1.0 / scale)),
        department=departments(rng, sector, True, age, female),
        birth_year=birth_year,
        female=female,
        frailty=frailty(rng, age, sector, True),
        withdrawn=np.where(w, withdrawn, NONE),
        ready_again=np.where(w, ready_again, NONE),
    )
    table = table.take(np.flatnonzero(admitted < cutoff_day * MINUTES_PER_DAY))
    table.patient = np.arange(len(table), dtype=np.int64)
    return table


def _gaps(rng: np.random.Generator, cls: np.ndarray) -> np.ndarray:
    gap = np.zeros(len(cls), dtype=np.int64)
    for k, (_, lo, hi, edge) in enumerate(READMISSION_GAPS):
        sel = np.flatnonzero(cls == k)
        if edge is None:  # truncated exponential, mean about 8 days
            scale = 8 * MINUTES_PER_DAY
            q = rng.random(len(sel)) * (1 - np.exp(-(hi - lo) / scale))
            gap[sel] = lo + (-scale * np.log1p(-q)).astype(np.int64)
        else:
            gap[sel] = np.where(rng.random(len(sel)) < 0.3, edge,
                                rng.integers(lo, hi + 1, len(sel)))
    return gap


def readmissions(rng: np.random.Generator, ukp: StayTable, ref: Reference, climate: Climate,
                 cutoff: int, scale: float) -> StayTable:
    """Acute readmissions of UKP patients discharged alive (same patient, new stay)."""
    alive = np.flatnonzero((ukp.discharged != NONE) & (ukp.destination != DEST["dod"]))
    probs = [p for p, *_ in READMISSION_GAPS]
    cls = categorical(rng, [*probs, 1 - sum(probs)], len(alive))
    chosen = cls < len(READMISSION_GAPS)
    idx, cls = alive[chosen], cls[chosen]
    admitted = ukp.discharged[idx] + _gaps(rng, cls)
    keep = admitted < cutoff
    idx, admitted = idx[keep], admitted[keep]
    n = len(idx)
    sector = ukp.sector[idx].copy()
    flip = rng.random(n) < 0.05  # KPI 5 counts readmissions in any sector
    sector[flip] = 1 - sector[flip]
    is_ukp = rng.random(n) < 0.12
    ready = admitted + lognormal_minutes(rng, np.where(sector == 0, 3.0, 10.0), 0.6, n, 90)
    mult = climate.wait_multiplier(ready // MINUTES_PER_DAY) * model.municipality_weights(
        ref.codes, ref.population)[1][ukp.municipality[idx]]
    # short waits only: the municipality knows these patients (and a stray long
    # wait here would move the calibrated yearly totals)
    d = round_waits(continuous_waits(rng.random(n) * 0.85, sector, mult))
    los = lognormal_minutes(rng, np.where(sector == 0, 3.0, 8.0), 0.8, n, 150)
    discharged = np.where(is_ukp, ukp_discharge(rng, ready, d),
                          daytime_discharge(rng, admitted, los))
    dest = np.where(is_ukp, ukp_destinations(rng, sector, d, discharged),
                    categorical(rng, _READMIT_DEST, n)).astype(np.int8)
    loc = np.where(is_ukp, ukp_locations(rng, ref, ukp.municipality[idx], sector,
                                         min(1.0, 1.0 / scale)), -1).astype(np.int8)
    age = ages(admitted, ukp.birth_year[idx])
    return StayTable(
        patient=ukp.patient[idx],
        municipality=ukp.municipality[idx],
        sector=sector,
        acute=np.ones(n, dtype=bool),
        admitted=admitted,
        ready=np.where(is_ukp, ready, NONE),
        discharged=discharged,
        destination=dest,
        location=loc,
        department=departments(rng, sector, True, age, ukp.female[idx]),
        birth_year=ukp.birth_year[idx],
        female=ukp.female[idx],
        frailty=np.minimum(9, ukp.frailty[idx] + (rng.random(n) < 0.3)).astype(np.int8),
        withdrawn=np.full(n, NONE, dtype=np.int64),
        ready_again=np.full(n, NONE, dtype=np.int64),
    )
