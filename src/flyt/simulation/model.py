"""The what-if model: daily, vectorised over replications x municipalities (NumPy; a
Python loop over the days of the period only, never over patients or replications).

Per replication the levels are drawn first (how many become ready, how long they wait:
the calibration's uncertainty, not only the dice); then every day each municipality's
patients become ready (Poisson), draw a destination and their own wait; those bound for
a short-term stay then queue first come, first served for the municipality's beds,
beside the admissions from home. The KPIs follow from each patient's ready and
discharge days by the rules of spec/kpi.md. docs/simulation.md ("The model").
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

import numpy as np

from flyt.payment.rates import Step
from flyt.simulation.parameters import Parameters
from flyt.simulation.pools import stochastic_round
from flyt.simulation.scenario import Scenario

MAX_REPLICATIONS = 10_000
CHUNK = 1_000  # replications simulated at once (memory grows with them)
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Plan:
    """A scenario laid out on the days of the period (index t = day - first)."""

    first: date
    days: int
    arrivals: np.ndarray  # [M, T] factor
    wait: np.ndarray  # [M, T] factor
    beds: np.ndarray  # [M, T] beds added (whole, may be negative)
    length: np.ndarray  # [U, T] factor


def plan_of(params: Parameters, first: date, last: date,
            scenario: Scenario | None = None) -> Plan:
    """The scenario's factors and beds on each day; without one, the baseline (1 and 0)."""
    days = (last - first).days + 1
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a period of 1 to {MAX_DAYS} days, not {days}")
    m_count, u_count = len(params.municipalities), len(params.units)
    plan = Plan(first, days, np.ones((m_count, days)), np.ones((m_count, days)),
                np.zeros((m_count, days), dtype=np.int64), np.ones((u_count, days)))
    if scenario is None:
        return plan
    owner = [params.municipalities[m] if m >= 0 else None for m in params.unit_owner]
    for t in range(days):
        day = first + timedelta(days=t)
        for m, code in enumerate(params.municipalities):
            plan.arrivals[m, t] = scenario.factor("arrivals", day, municipality=code)
            plan.wait[m, t] = scenario.factor("ukp_wait", day, municipality=code)
            plan.beds[m, t] = scenario.beds(day, municipality=code)
        for u, unit in enumerate(params.units):
            plan.length[u, t] = scenario.factor("length_of_stay", day, unit=unit,
                                                municipality=owner[u])
            if params.unit_owner[u] >= 0:
                plan.beds[params.unit_owner[u], t] += scenario.beds(day, unit=unit)
    return plan


@dataclass(frozen=True)
class Outcome:
    """Per replication and municipality [R, M], over the period: what the KPIs and the
    payment are made of (so groups are summed before the ratios are taken)."""

    ukp_days: np.ndarray  # KPI 1
    discharged: np.ndarray  # UKP stays discharged in the period (KPI 2 and 3's denominator)
    zero_days: np.ndarray  # of those, with 0 UKP days
    days_of_discharged: np.ndarray  # of those, their UKP days (the whole stay)
    short_ended: np.ndarray  # short-term stays ended in the period (KPI 6)
    short_days: np.ndarray  # their lengths
    payment: np.ndarray  # NOK: the period's UKP days at each year's day rate
    payment_rising: np.ndarray  # NOK: the same days under the rising-rate steps


@dataclass(frozen=True)
class Patients:
    """Every UKP patient of every replication (flat): relative days, t = 0 the first day."""

    r: np.ndarray
    m: np.ndarray
    ready: np.ndarray
    destination: np.ndarray
    wait: np.ndarray  # own wait, days (the short-term queue comes on top)


@dataclass(frozen=True)
class Dice:
    """One random stream per purpose, all from the seed. A baseline and a scenario run
    with one seed share them: the same patients become ready (the scenario adds or
    thins some), draw the same destinations and waits, and the k-th admission to a
    municipality's beds draws the same length, so their difference is the scenario's,
    not the dice's (common random numbers)."""

    levels: np.random.Generator
    arrivals: np.random.Generator
    extra: np.random.Generator
    thinning: np.random.Generator
    patients: np.random.Generator
    extra_patients: np.random.Generator
    start: np.random.Generator
    home: np.random.Generator
    lengths: np.random.Generator

    @classmethod
    def of(cls, seed: int, chunk: int = 0) -> Dice:
        """The dice of the seed's ``chunk``-th batch of replications (the first batch's
        are the seed's own)."""
        entropy = seed if chunk == 0 else [seed, chunk]
        streams = np.random.SeedSequence(entropy).spawn(9)
        return cls(*(np.random.default_rng(s) for s in streams))


def simulate(params: Parameters, plan: Plan, replications: int, seed: int,
             steps: tuple[Step, ...]) -> Outcome:
    """``replications`` runs of the period ``plan`` lays out; the same seed, the same
    numbers (a baseline and a scenario run with one seed share their dice: ``Dice``).
    Run in batches of CHUNK replications, each with dice of its own, so that memory is
    bounded by a batch (1 000 replications of 7 700 patients a year: ~1,6 GB)."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"1 to {MAX_REPLICATIONS} replications, not {replications}")
    parts = [_batch(params, plan, min(CHUNK, replications - start), Dice.of(seed, k), steps)
             for k, start in enumerate(range(0, replications, CHUNK))]
    if len(parts) == 1:
        return parts[0]
    return Outcome(*(np.concatenate([getattr(p, f.name) for p in parts])
                     for f in fields(Outcome)))


def _batch(params: Parameters, plan: Plan, replications: int, dice: Dice,
           steps: tuple[Step, ...]) -> Outcome:
    r_count, m_count, t_count = replications, len(params.municipalities), plan.days
    theta = _levels(dice.levels, params.level_sd, params.level_sd_m, r_count)
    omega = _levels(dice.levels, params.wait_sd, params.wait_sd_m, r_count) \
        * params.wait_level
    zero_shift = dice.levels.normal(0.0, params.zero_sd, size=r_count)
    patients = _patients(dice, params, plan, theta, omega, zero_shift)
    discharge = _discharges(dice, params, plan, patients, r_count)
    ready, out = patients.ready, discharge.day
    cell = patients.r * m_count + patients.m
    in_period = np.maximum(np.minimum(out, t_count) - np.maximum(ready, 0), 0)
    ended = (out >= 0) & (out < t_count)
    stay = out - ready
    size = r_count * m_count

    def total(weights: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.bincount(cell[where], weights=weights[where],
                           minlength=size).reshape(r_count, m_count)

    everyone = np.ones(len(ready), dtype=bool)
    payment, rising = _payment(params, plan, steps, ready, out, cell, size)
    return Outcome(
        ukp_days=total(in_period.astype(float), everyone),
        discharged=total(np.ones(len(ready)), ended),
        zero_days=total((stay == 0).astype(float), ended),
        days_of_discharged=total(stay.astype(float), ended),
        short_ended=discharge.short_ended, short_days=discharge.short_days,
        payment=payment.reshape(r_count, m_count),
        payment_rising=rising.reshape(r_count, m_count),
    )


def _levels(rng: np.random.Generator, sd: float, sd_m: np.ndarray, r_count: int
            ) -> np.ndarray:
    """A replication's level per municipality [R, M]: the community's year-to-year change
    times the municipality's own, log-normal with mean 1."""
    common = rng.normal(0.0, sd, size=(r_count, 1))
    own = rng.normal(0.0, 1.0, size=(r_count, len(sd_m))) * sd_m
    return np.exp(common + own - (sd ** 2 + sd_m ** 2) / 2)


_PER_PATIENT = 4  # uniform numbers a patient draws: destination, 0 days, wait, rounding


def _patients(dice: Dice, params: Parameters, plan: Plan, theta: np.ndarray,
              omega: np.ndarray, zero_shift: np.ndarray) -> Patients:
    """The patients who become ready in the period, and those waiting at its start. The
    scenario's arrivals add patients (a second Poisson stream: f > 1) or thin the
    baseline's (each kept with chance f < 1)."""
    r_count, t_count = theta.shape[0], plan.days
    day = np.array([plan.first + timedelta(days=t) for t in range(t_count)])
    weekday = np.array([d.weekday() for d in day])
    month = np.array([d.month - 1 for d in day])
    expected = theta[:, :, None] * (params.rate[:, None] * params.weekday[:, weekday]
                                    * params.month[:, month])[None, :, :]  # [R, M, T]
    base = dice.arrivals.poisson(expected)
    extra = dice.extra.poisson(expected * np.maximum(plan.arrivals - 1.0, 0.0)[None])
    keep_share = np.minimum(plan.arrivals, 1.0)
    parts = []
    for counts, stream in ((base, dice.patients), (extra, dice.extra_patients)):
        flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
        r, m, t = np.unravel_index(flat, counts.shape)
        u = stream.random((_PER_PATIENT, len(flat)))
        if counts is base:
            kept = dice.thinning.random(len(flat)) < keep_share[m, t]
            r, m, t, u = r[kept], m[kept], t[kept], u[:, kept]
        dest = _destinations(u[0], params, m)
        wait = _own_waits(u, params, m, dest, omega[r, m] * params.wait_month[month[t]]
                          * plan.wait[m, t], zero_shift[r])
        parts.append((r, m, t, dest, wait))
    # Waiting at the start: each replication has them all, with the rest of their wait.
    open_count = len(params.open_m)
    r0 = np.repeat(np.arange(r_count, dtype=np.int64), open_count)
    m0 = np.tile(params.open_m, r_count)
    waited = np.tile(params.open_waited, r_count)
    u0 = dice.start.random((2, len(r0)))
    dest0 = _destinations(u0[0], params, m0)
    total0 = params.waits.draw_above(u0[1], m0 * len(params.destinations) + dest0, waited)
    parts.append((r0, m0, -waited, dest0, total0))
    r, m, ready, dest, wait = (np.concatenate(x) for x in zip(*parts, strict=True))
    return Patients(r=r, m=m, ready=ready, destination=dest, wait=wait)


def _destinations(u: np.ndarray, params: Parameters, m: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(params.shares, axis=1)
    cumulative /= np.where(cumulative[:, -1:] > 0, cumulative[:, -1:], 1.0)
    found = np.zeros(len(m), dtype=np.int64)
    for d in range(cumulative.shape[1] - 1):  # a handful of destinations, not patients
        found += u >= cumulative[m, d]
    return found


def _own_waits(u: np.ndarray, params: Parameters, m: np.ndarray, dest: np.ndarray,
               scale: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """0 days with the cell's share (moved on the logit scale by the replication's
    level), else an observed positive wait scaled by the replication's level, the season
    and the scenario (rounded to whole days, at least 1)."""
    share = np.clip(params.zero[m, dest], 1e-6, 1 - 1e-6)
    moved = 1.0 / (1.0 + (1 - share) / share * np.exp(-shift))
    zero = u[1] < moved
    seen = params.waits.draw(u[2], m * len(params.destinations) + dest)
    scaled = np.maximum(stochastic_round(u[3], seen * scale), 1)
    return np.where(zero, 0, scaled)


@dataclass(frozen=True)
class _Discharged:
    day: np.ndarray  # each patient's discharge day (relative; >= T: after the period)
    short_ended: np.ndarray  # [R, M]
    short_days: np.ndarray  # [R, M]


def _discharges(dice: Dice, params: Parameters, plan: Plan, patients: Patients,
                r_count: int) -> _Discharged:
    """Discharge days: after the own wait, or for a short-term stay when a bed is free in
    the municipality, first come first served (hospital patients before those from home
    on the same day; on one day in the order they became ready); with the short-term
    stays that end in the period (KPI 6)."""
    m_count, t_count = len(params.municipalities), plan.days
    day = patients.ready + patients.wait
    bound = patients.destination == params.short_term
    queue_day = day[bound]
    joins = np.zeros((r_count, m_count, t_count + 1), dtype=np.int64)
    inside = queue_day < t_count
    np.add.at(joins, (patients.r[bound][inside], patients.m[bound][inside],
                      np.maximum(queue_day[inside], 0)), 1)
    admitted, ended, length_sum = _beds_run(dice, params, plan, joins, r_count)
    # The k-th patient to join a municipality's queue gets the k-th bed given to the queue.
    b_r, b_m = patients.r[bound], patients.m[bound]
    order = np.lexsort((patients.ready[bound], queue_day, b_m, b_r))
    group = b_r[order] * m_count + b_m[order]
    starts = np.searchsorted(group, group, side="left")
    rank = np.arange(len(group)) - starts + 1
    cumulative = np.cumsum(admitted, axis=2).reshape(r_count * m_count, t_count)
    span = np.int64(len(patients.r) + 1)
    keyed = (np.arange(r_count * m_count, dtype=np.int64)[:, None] * span
             + cumulative).ravel()
    found = np.searchsorted(keyed, group * span + rank, side="left") - group * t_count
    bed_day = np.where(found < t_count, np.maximum(found, queue_day[order]), t_count)
    short_out = np.empty(len(queue_day), dtype=np.int64)
    short_out[order] = bed_day
    day[bound] = short_out
    return _Discharged(day=day, short_ended=ended, short_days=length_sum)


def _beds_run(dice: Dice, params: Parameters, plan: Plan, joins: np.ndarray,
              r_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The short-term beds day by day [R, M]: departures, then the hospital's queue, then
    the queue from home. Returns the beds given to the hospital's queue each day
    [R, M, T] and the stays ended in the period with their length (KPI 6)."""
    m_count, t_count = len(params.municipalities), plan.days
    cap = np.maximum(params.beds[:, None] + plan.beds, 0)  # [M, T]
    leave = np.zeros((r_count, m_count, t_count + 1), dtype=np.int64)
    ended = np.zeros((r_count, m_count))
    length_sum = np.zeros((r_count, m_count))
    # Under way at the start: the rest of each stay, given how long it has lasted.
    n0 = len(params.short_m)
    if n0:
        m0 = np.tile(params.short_m, r_count)
        r0 = np.repeat(np.arange(r_count, dtype=np.int64), n0)
        elapsed = np.tile(params.short_elapsed, r_count)
        whole = params.lengths.draw_above(dice.start.random(len(m0)), m0, elapsed)
        out = whole - elapsed
        np.add.at(leave, (r0, m0, np.minimum(np.maximum(out, 1), t_count)), 1)
        done = out < t_count
        np.add.at(ended, (r0[done], m0[done]), 1)
        np.add.at(length_sum, (r0[done], m0[done]), whole[done])
    occupied = np.tile(np.bincount(params.short_m, minlength=m_count), (r_count, 1))
    from_home = dice.home.poisson(np.broadcast_to(params.home_rate[None, :, None],
                                                  (r_count, m_count, t_count)))
    # The k-th admission of a replication's municipality draws the k-th numbers of the
    # cell's own row: at most every joiner and every one from home is admitted.
    most = (joins[:, :, :t_count].sum(axis=2) + from_home.sum(axis=2)).ravel()
    offset = np.concatenate([[0], np.cumsum(most)[:-1]])
    u = dice.lengths.random((2, int(most.sum()) + 1))
    served = np.zeros(r_count * m_count, dtype=np.int64)
    admitted = np.zeros((r_count, m_count, t_count), dtype=np.int64)
    waiting = np.zeros((r_count, m_count), dtype=np.int64)
    waiting_home = np.zeros((r_count, m_count), dtype=np.int64)
    cells = np.arange(r_count * m_count, dtype=np.int64)
    for t in range(t_count):
        occupied -= leave[:, :, t]
        free = np.maximum(cap[None, :, t] - occupied, 0)
        waiting += joins[:, :, t]
        hospital = np.minimum(free, waiting)
        waiting -= hospital
        waiting_home += from_home[:, :, t]
        home = np.minimum(free - hospital, waiting_home)
        waiting_home -= home
        new = (hospital + home).ravel()
        occupied += hospital + home
        admitted[:, :, t] = hospital
        if not new.any():
            continue
        cell = np.repeat(cells, new)
        k = np.arange(len(cell)) - np.repeat(np.cumsum(new) - new, new)
        pick = offset[cell] + served[cell] + k
        served += new
        at = params.lengths.draw_at(u[0, pick], cell % m_count)
        length = stochastic_round(u[1, pick], params.lengths.values[at]
                                  * plan.length[params.lengths.tags[at], t])
        out = t + np.maximum(length, 1)
        np.add.at(leave.reshape(-1, t_count + 1), (cell, np.minimum(out, t_count)), 1)
        done = t + length < t_count
        np.add.at(ended.reshape(-1), cell[done], 1)
        np.add.at(length_sum.reshape(-1), cell[done], length[done])
    return admitted, ended, length_sum


def _payment(params: Parameters, plan: Plan, steps: tuple[Step, ...], ready: np.ndarray,
             out: np.ndarray, cell: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The period's UKP days at each calendar year's day rate, and under the rising-rate
    steps (a stay's k-th UKP day costs the factor of the step day k falls in)."""
    factors = _step_factors(steps)
    top = len(factors) - 1
    cumulative = np.concatenate([[0.0], np.cumsum(factors)])  # F(k) = days 1..k

    def rising_sum(n: np.ndarray) -> np.ndarray:  # F(n) for n >= 0
        beyond = np.maximum(n - top, 0)
        return cumulative[np.minimum(n, top)] + beyond * factors[-1]

    paid = np.zeros(size)
    rising = np.zeros(size)
    last = plan.first + timedelta(days=plan.days - 1)
    for year in range(plan.first.year, last.year + 1):
        lo = max((date(year, 1, 1) - plan.first).days, 0)
        hi = min((date(year + 1, 1, 1) - plan.first).days, plan.days)
        start = np.maximum(ready, lo)
        end = np.minimum(out, hi)
        days = np.maximum(end - start, 0)
        some = days > 0
        rate = float(params.rates.get(year, max(params.rates.values()) if params.rates
                                      else 0))
        paid += np.bincount(cell[some], weights=days[some] * rate, minlength=size)
        # wait days k = day - ready + 1: those of [start, end) are (start - ready, end - ready]
        weight = rising_sum(end[some] - ready[some]) - rising_sum(start[some] - ready[some])
        rising += np.bincount(cell[some], weights=weight * rate, minlength=size)
    return paid, rising


def _step_factors(steps: tuple[Step, ...]) -> np.ndarray:
    """The factor of wait day 1, 2, ... up to the last step's first day (index k - 1)."""
    last = max(s.from_day for s in steps)
    factors = np.ones(last)
    for step in sorted(steps, key=lambda s: s.from_day):
        factors[step.from_day - 1:] = float(step.factor)
    return factors


