"""The peer of Flyt's what-if model (benchmarks/simulation.py): the same flow written as a
discrete-event model in SimPy, one process per patient, one ``simpy.PriorityResource``
of beds per municipality.

    python benchmarks/peers/simulation_simpy.py PARAMETERS.npz [--seed 1]

PARAMETERS.npz is written by benchmarks/simulation.py from Flyt's ``Parameters`` (this
peer runs in benchmarks/.venv-peers, without Flyt), with the levels of Flyt's first
replications (theta, omega, the 0-day shift): the peer runs one replication per row of
them. Each day (Poisson, by municipality, weekday and month) patients become ready and
draw a destination and an own wait from the same pools; those bound for a short-term
stay queue for the municipality's beds, before those admitted from home (Poisson a
day); a bed is held for a length drawn from the municipality's ended stays. Those
waiting at the start and the stays under way take the rest of their course, drawn as
Flyt draws it. Prints one JSON line: per replication the community's UKP days in the
period (KPI 1), the UKP stays discharged in it and their days (KPI 3), and the seconds
spent simulating. Not part of the test suite.

Within day t the events keep Flyt's order: hospital patients join the queue at t + 0.1,
beds are given back at t + 0.2, patients from home ask at t + 0.3 (priority 1, after
every hospital patient waiting); a patient's discharge day is the day of its bed.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
import time

import numpy as np
import simpy

JOIN, FREE, HOME = 0.1, 0.2, 0.3  # moments within a day (see above)


class Pool:
    """Whole-day samples per group, ascending (as Flyt's flyt.simulation.pools.Pool)."""

    def __init__(self, values: np.ndarray, start: np.ndarray, count: np.ndarray) -> None:
        self.groups = [values[s:s + c].tolist() for s, c in zip(start, count, strict=True)]

    def draw(self, rnd: random.Random, group: int) -> int:
        return rnd.choice(self.groups[group])

    def draw_above(self, rnd: random.Random, group: int, above: int) -> int:
        """A value > ``above``; beyond the longest, ``above`` + a geometric tail of mean
        ``above`` / 2 + 1 (Flyt's rule for the rest of a wait or a stay under way)."""
        values = self.groups[group]
        first = bisect.bisect_right(values, above)
        if first < len(values):
            return values[rnd.randrange(first, len(values))]
        p = min(1.0 / (above / 2.0 + 1.0), 1 - 1e-12)
        return above + max(math.ceil(math.log1p(-rnd.random()) / math.log1p(-p)), 1)


def whole_days(rnd: random.Random, value: float) -> int:
    """Rounded up with the chance of the fraction (the same mean)."""
    low = math.floor(value)
    return int(low + (rnd.random() < value - low))


def replication(p: dict[str, np.ndarray], k: int, rnd: random.Random,
                rng: np.random.Generator) -> tuple[float, int, float]:
    """One replication with row k of the levels: (UKP days in the period, UKP stays
    discharged in it, their days)."""
    days = len(p["day_weekday"])
    m_count, d_count = p["shares"].shape
    short_term = int(p["short_term"])
    waits = Pool(p["wait_values"], p["wait_start"], p["wait_count"])
    lengths = Pool(p["length_values"], p["length_start"], p["length_count"])
    cumulative = np.cumsum(p["shares"], axis=1)
    cumulative = (cumulative / np.where(cumulative[:, -1:] > 0, cumulative[:, -1:], 1.0)
                  ).tolist()
    zero = p["zero"].tolist()
    shift = math.exp(-float(p["zero_shift"][k]))
    omega = p["omega"][k].tolist()
    wait_month = p["wait_month"].tolist()
    env = simpy.Environment()
    beds = [simpy.PriorityResource(env, capacity=int(b)) if b > 0 else None
            for b in p["beds"]]
    stays: list[list[float]] = []  # [ready, out] of every UKP patient; out inf: not yet

    def destination(m: int) -> int:
        u = rnd.random()
        return sum(u >= c for c in cumulative[m][:-1])

    def from_home(m: int, day: int):  # type: ignore[no-untyped-def]
        yield env.timeout(day + HOME - env.now)
        if beds[m] is None:
            return
        request = beds[m].request(priority=1)
        yield request
        admitted = math.floor(env.now)
        yield env.timeout(admitted + max(lengths.draw(rnd, m), 1) + FREE - env.now)
        beds[m].release(request)

    def patient(m: int, ready: int, dest: int, wait: int):  # type: ignore[no-untyped-def]
        record = [float(ready), math.inf]
        stays.append(record)
        joins = max(ready + wait, 0)
        yield env.timeout(joins + JOIN - env.now)
        if dest != short_term:
            record[1] = ready + wait
            return
        if beds[m] is None:
            return  # no beds: waits to the end
        request = beds[m].request(priority=0)
        yield request
        day = math.floor(env.now)
        record[1] = day  # discharged the day it gets its bed
        yield env.timeout(day + max(lengths.draw(rnd, m), 1) + FREE - env.now)
        beds[m].release(request)

    def under_way(m: int, rest: int):  # type: ignore[no-untyped-def]
        if beds[m] is None:
            return
        request = beds[m].request(priority=-1)
        yield request
        yield env.timeout(max(max(rest, 1) + FREE - env.now, 0))
        beds[m].release(request)

    def own_wait(m: int, dest: int, scale: float) -> int:
        share = min(max(zero[m][dest], 1e-6), 1 - 1e-6)
        if rnd.random() < 1.0 / (1.0 + (1 - share) / share * shift):
            return 0
        return max(whole_days(rnd, waits.draw(rnd, m * d_count + dest) * scale), 1)

    def days_go_by():  # type: ignore[no-untyped-def]
        theta = p["theta"][k]
        for t in range(days):
            wd, mo = int(p["day_weekday"][t]), int(p["day_month"][t])
            expected = theta * p["rate"] * p["weekday"][:, wd] * p["month"][:, mo]
            for m, n in enumerate(rng.poisson(expected).tolist()):
                for _ in range(n):
                    dest = destination(m)
                    env.process(patient(m, t, dest, own_wait(m, dest,
                                                             omega[m] * wait_month[mo])))
            for m, n in enumerate(rng.poisson(p["home_rate"]).tolist()):
                for _ in range(n):
                    env.process(from_home(m, t))
            yield env.timeout(1)

    for m, elapsed in zip(p["short_m"].tolist(), p["short_elapsed"].tolist(), strict=True):
        env.process(under_way(m, lengths.draw_above(rnd, m, elapsed) - elapsed))
    for m, waited in zip(p["open_m"].tolist(), p["open_waited"].tolist(), strict=True):
        dest = destination(m)
        env.process(patient(m, -waited, dest,
                            waits.draw_above(rnd, m * d_count + dest, waited)))
    env.process(days_go_by())
    env.run(until=days)
    ukp_days, discharged, stay_days = 0.0, 0, 0.0
    for ready, out in stays:
        ukp_days += max(min(out, days) - max(ready, 0), 0)
        if 0 <= out < days:
            discharged += 1
            stay_days += out - ready
    return ukp_days, discharged, stay_days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parameters")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with np.load(args.parameters) as stored:
        p = {name: stored[name] for name in stored.files}
    rnd = random.Random(args.seed)
    rng = np.random.default_rng(args.seed)
    began = time.perf_counter()
    found = [replication(p, k, rnd, rng) for k in range(len(p["theta"]))]
    seconds = time.perf_counter() - began
    json.dump({"ukp_days": [f[0] for f in found], "discharged": [f[1] for f in found],
               "stay_days": [f[2] for f in found], "seconds": seconds}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
