"""The other hospital stays: patients who are never declared ready for discharge.

They are the bulk of the file. Patients come from a pool so that many have
several stays over the years (one stay per patient per block of about a year,
never overlapping); their municipality, sector, birth year and sex stay put.
"""

from __future__ import annotations

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
    sample_days,
    sample_minutes_of_day,
    years_of,
)

ACUTE_SHARE = 0.685  # with the UKP stays and readmissions about 70 % akutt overall
MENTAL_SHARE = 0.153  # with the UKP stays about 15 % of all stays
POOL_FACTOR = 6  # patients in the pool per stay in a block
_ACUTE_HOURS = np.array([2, 2, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 8, 8, 8, 8, 8, 7, 7, 6, 5, 4, 3, 3])
_PLANNED_HOURS = np.array([0] * 7 + [10, 12, 8, 4, 2, 1, 1, 1] + [0] * 9)
# hjem, hjem_med_tjenester, korttidsopphold, langtidsopphold, annen_institusjon, dod, annet
_SOMATIC_DEST = np.array([0.835, 0.08, 0.015, 0.003, 0.03, 0.017, 0.02])
_MENTAL_DEST = np.array([0.80, 0.10, 0.0, 0.0, 0.04, 0.002, 0.058])


def _admissions(rng: np.random.Generator, start_day: int, cutoff_day: int,
                n: int) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(start_day, cutoff_day)
    acute = rng.random(n) < ACUTE_SHARE
    admitted = np.empty(n, dtype=np.int64)
    for flag, hours in ((True, _ACUTE_HOURS), (False, _PLANNED_HOURS)):
        sel = np.flatnonzero(acute == flag)
        day = sample_days(rng, model.admission_weights(days, flag), start_day, len(sel),
                          stratified=False)
        admitted[sel] = day * MINUTES_PER_DAY + sample_minutes_of_day(rng, hours, len(sel))
    return admitted, acute


def _assign_patients(rng: np.random.Generator, n: int, n_blocks: int) -> tuple[np.ndarray, int]:
    """Patients for n stays in time order: in each block a distinct sample of the pool."""
    block = (np.arange(n) * n_blocks) // max(n, 1)
    sizes = np.bincount(block, minlength=n_blocks)
    pool = int(POOL_FACTOR * sizes.max()) + 1
    patient = np.concatenate([rng.choice(pool, size=int(s), replace=False) for s in sizes])
    return patient.astype(np.int64), pool


def _separate_overlaps(patient: np.ndarray, admitted: np.ndarray, discharged: np.ndarray,
                       next_id: int) -> np.ndarray:
    """Give a fresh patient to a stay that would overlap the patient's previous one."""
    patient = patient.copy()
    for _ in range(10):
        order = np.lexsort((admitted, patient))
        p, a, d = patient[order], admitted[order], discharged[order]
        clash = np.flatnonzero((p[1:] == p[:-1]) & (a[1:] <= d[:-1] + 60)) + 1
        if len(clash) == 0:
            break
        patient[order[clash]] = next_id + np.arange(len(clash))
        next_id += len(clash)
    return patient


def _ages_at_first_stay(rng: np.random.Generator, mental: np.ndarray) -> np.ndarray:
    n = len(mental)
    kind = categorical(rng, [0.08, 0.35, 0.57], n)
    age = np.where(kind == 0, rng.integers(0, 18, n),
                   np.where(kind == 1, rng.integers(18, 65, n),
                            np.clip(rng.normal(78, 8, n), 65, 102)))
    return np.where(mental, np.clip(rng.normal(38, 15, n), 16, 90), age).astype(np.int64)


def other_stays(rng: np.random.Generator, ref: Reference, n: int, start_day: int,
                cutoff_day: int) -> StayTable:
    admitted, acute = _admissions(rng, start_day, cutoff_day, n)
    order = np.argsort(admitted, kind="stable")
    admitted, acute = admitted[order], acute[order]
    n_blocks = max(1, round((cutoff_day - start_day) / 365.25))
    patient, pool = _assign_patients(rng, n, n_blocks)

    # the pool's fixed attributes
    p_mental = rng.random(pool) < MENTAL_SHARE
    p_muni = categorical(rng, ref.population / ref.population.sum(), pool).astype(np.int16)
    p_female = rng.random(pool) < np.where(p_mental, 0.5, 0.53)
    sector = p_mental[patient].astype(np.int8)
    los = np.empty(n, dtype=np.int64)
    kind = np.where(sector == 1, 2, acute.astype(np.int8))
    for k, (median, sigma) in enumerate(((1.6, 0.8), (2.5, 0.95), (10.0, 1.0))):
        sel = np.flatnonzero(kind == k)
        los[sel] = lognormal_minutes(rng, median, sigma, len(sel), 200)
    del kind
    discharged = daytime_discharge(rng, admitted, los)
    del los
    patient = _separate_overlaps(patient, admitted, discharged, pool)

    # birth year fixed per patient, from the age at the patient's first stay
    first = np.full(patient.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, patient, admitted)
    mental = sector == 1
    age_first = _ages_at_first_stay(rng, mental)  # drawn per stay, used from the first one
    is_first = admitted == first[patient]
    birth = np.zeros(patient.max() + 1, dtype=np.int64)
    birth[patient[is_first]] = years_of(admitted[is_first] // MINUTES_PER_DAY) - age_first[
        is_first]
    birth_year = birth[patient].astype(np.int16)
    # patients split off by _separate_overlaps (numbered from pool on) get their own
    fresh = np.flatnonzero(patient >= pool)
    female = p_female[np.minimum(patient, pool - 1)]
    female[fresh] = rng.random(len(fresh)) < 0.52
    muni = p_muni[np.minimum(patient, pool - 1)]
    muni[fresh] = categorical(rng, ref.population / ref.population.sum(), len(fresh))
    age = ages(admitted, birth_year)

    dest = np.empty(n, dtype=np.int8)
    for flag, probs in ((False, _SOMATIC_DEST), (True, _MENTAL_DEST)):
        sel = np.flatnonzero(mental == flag)
        dest[sel] = categorical(rng, probs, len(sel))
    last = np.zeros(patient.max() + 1, dtype=np.int64)
    np.maximum.at(last, patient, admitted)
    dest[(dest == DEST["dod"]) & (admitted != last[patient])] = DEST["hjem"]  # the dead stay dead
    dest[(age < 18) & np.isin(dest, [DEST["korttidsopphold"], DEST["langtidsopphold"]])] = DEST[
        "hjem"]
    return StayTable(
        patient=patient,
        municipality=muni,
        sector=sector,
        acute=acute,
        admitted=admitted,
        ready=np.full(n, NONE, dtype=np.int64),
        discharged=discharged,
        destination=dest,
        location=np.full(n, -1, dtype=np.int8),
        department=departments(rng, sector, False, age, female),
        birth_year=birth_year,
        female=female,
        frailty=frailty(rng, age, sector, False),
        withdrawn=np.full(n, NONE, dtype=np.int64),
        ready_again=np.full(n, NONE, dtype=np.int64),
    )
