"""Benchmark: the what-if model (issue 15, item 4: a year of the whole community, 1 000
replications, in <= 60 s), and its discrete-event peer in SimPy.

    python benchmarks/simulation.py                       # 300 000 and 1 M stays, DuckDB
    python benchmarks/simulation.py --stays 300000 --replications 1000
    python benchmarks/simulation.py --db postgresql://flyt:flyt@127.0.0.1:5432/flyt_bench_sim
    python benchmarks/simulation.py --reuse /tmp/flyt-simbench   # keep and reuse the stores

For each N of ``--stays``: demo data (seed 1, data to 01.12.2026) made by ``flyt
generate`` and imported by ``flyt import`` (stays, UKP periods, short stays, beds) into a
fresh store: an embedded DuckDB file in DIR/store-N, or with ``--db`` that PostgreSQL
database (emptied first; its data folder DIR/postgres-N). DIR is ``--reuse`` (kept, and
what it holds reused) or a temporary folder. Then, for the year 2024 (calibrated on
2021-2023), in this process: ``calibration.read``, ``parameters.from_calibration``,
and for each R of ``--replications`` the baseline simulation, the scenario simulation
(the packaged example scenario, its plan included) and the summary; and ``flyt
simulate --scenario`` as a whole process (wall, CPU user + system, peak RSS). Prints a
table and the growth with replications and with the UKP patients a year.

The peer (benchmarks/peers/simulation_simpy.py, in benchmarks/.venv-peers with SimPy)
reads the same parameters from an .npz and runs ``--peer-replications`` replications
with the same levels (theta, omega, 0-day shift) as Flyt's first replications of that
seed; the community's mean KPI 1 and KPI 3 of both are compared, and the time per
replication. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))

import harness  # noqa: E402

from flyt.payment.rates import load_payment_settings  # noqa: E402
from flyt.simulation import calibration, model, parameters, scenario, summary  # noqa: E402
from flyt.simulation.parameters import Parameters  # noqa: E402
from flyt.store import reference  # noqa: E402
from flyt.store.db import Database  # noqa: E402

HERE = Path(__file__).resolve().parent
PEER = HERE / "peers" / "simulation_simpy.py"
UNTIL = datetime(2026, 12, 1)
FIRST, LAST = date(2024, 1, 1), date(2024, 12, 31)
YEARS = 3
SEED = 1
EXAMPLE = (Path(model.__file__).resolve().parent / "examples" / "scenario.toml")
KINDS = (("stays", "stays.csv"), ("ukp-periods", "ukp_periods.csv"),
         ("short-stays", "short_stays.csv"), ("beds", "beds.csv"))
T = TypeVar("T")
GOAL_SECONDS = 60.0  # issue 15: a year, the whole community, 1 000 replications


def load() -> str:
    return "load " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(work: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    value = work()
    return value, time.perf_counter() - began


def measured(args: list[str], label: str, env: dict[str, str] | None = None
             ) -> harness.Run:
    """harness.run under GNU time for the peak RSS: wait4's figure of a child includes
    this process's own peak (Linux keeps the high-water mark of the memory the child
    had before its exec, after vfork this process's), and this one holds the models'
    arrays; /usr/bin/time is small and forks the command itself."""
    ran = harness.run(["/usr/bin/time", "-f", "maxrss_kb=%M", *args], label, env)
    lines = ran.out.rstrip().splitlines()
    kb = int(lines[-1].removeprefix("maxrss_kb="))
    return harness.Run(ran.seconds, kb / 1024, "\n".join(lines[:-1]), ran.cpu)


def make_store(stays: int, work: Path, db: str | None) -> dict[str, str]:
    """The environment of a ``flyt`` process on a demo store of ``stays`` stays; made
    with the real commands unless ``work`` holds it already (``--reuse``)."""
    data = work / f"data-{stays}"
    # The data folder of a PostgreSQL run is its own: a fresh store empties its folder.
    folder = work / (f"postgres-{stays}" if db else f"store-{stays}")
    made = harness.generate(data, stays, UNTIL)
    if made:
        print(f"  flyt generate {stays:,} stays: {made.seconds:.1f} s", flush=True)
    # What the folder holds: one PostgreSQL database holds one size at a time.
    loaded = work / ("postgres-loaded" if db else f"store-{stays}.done")
    if (loaded.exists() and loaded.read_text() == str(stays)
            and (db or (folder / "flyt.duckdb").exists())):
        env = {k: v for k, v in os.environ.items()
               if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
        env["FLYT_DATA_DIR"] = str(folder)
        if db:
            env["FLYT_DATABASE_URL"] = db
        return env
    loaded.unlink(missing_ok=True)
    env = harness.fresh_store(folder, db)
    for kind, name in KINDS:
        # No recompute: the model reads the stored records, not the KPI results.
        ran = harness.run(harness.flyt_command() + ["import", kind, str(data / name),
                                                    "--source", "bench", "--no-recompute"],
                          f"flyt import {kind}", env)
        print(f"  flyt import {kind}: {ran.seconds:.1f} s", flush=True)
    loaded.write_text(str(stays))
    return env


@dataclass(frozen=True)
class Row:
    replications: int
    baseline: float
    scenario: float
    summary: float
    process: harness.Run


def in_process(url: str, replications: list[int], work: Path, env: dict[str, str],
               stays: int) -> tuple[Parameters, list[Row]]:
    """Calibration and parameters once, then per R the model's steps in this process
    and ``flyt simulate`` as a whole process."""
    db = Database.open(url)
    settings = load_payment_settings()
    known, t_cal = timed(lambda: calibration.read(db, FIRST, years=YEARS, payment=settings))
    params, t_par = timed(lambda: parameters.from_calibration(known))
    codes = {m.code for m in reference.municipalities(db)}
    chosen = scenario.load(EXAMPLE, codes, reference.unit_kinds(db))
    region_of = {m.code: m.region for m in reference.municipalities(db)}
    db.close()
    print(f"  calibration.read {t_cal:.2f} s, from_calibration {t_par:.2f} s ({load()}); "
          f"{len(known.stays):,} UKP stays in the window, "
          f"{params.rate.sum() * 365:,.0f} a year at the current level", flush=True)
    rows = []
    for r in replications:
        t_base, t_scen, t_sum = model_steps(params, r, chosen, region_of)
        before = load()
        ran = measured(harness.flyt_command() + [
            "simulate", "--from", f"{FIRST}", "--to", f"{LAST}", "--replications", str(r),
            "--seed", str(SEED), "--scenario", str(EXAMPLE), "--format", "csv",
            "--output", str(work / f"simulate-{stays}-{r}.csv")], "flyt simulate", env)
        rows.append(Row(r, t_base, t_scen, t_sum, ran))
        print(f"  R = {r:>5}: baseline {t_base:6.2f} s, scenario {t_scen:6.2f} s, summary "
              f"{t_sum:5.2f} s; flyt simulate {ran.seconds:6.2f} s wall, {ran.cpu:6.2f} s "
              f"CPU, {ran.peak_mb / 1024:5.2f} GB ({before} -> {load()})", flush=True)
    return params, rows


def model_steps(params: Parameters, replications: int, chosen: scenario.Scenario,
                region_of: dict[str, str]) -> tuple[float, float, float]:
    """Seconds of the baseline, the scenario (its plan included) and the summary, as
    flyt.simulation.run does them."""
    steps = load_payment_settings().steps
    began = time.perf_counter()
    base = model.simulate(params, model.plan_of(params, FIRST, LAST), replications, SEED,
                          steps)
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    other = model.simulate(params, model.plan_of(params, FIRST, LAST, chosen),
                           replications, SEED, steps)
    scenario_run = time.perf_counter() - began
    began = time.perf_counter()
    summary.rows(base, other, summary.groups(params.municipalities, region_of))
    return baseline, scenario_run, time.perf_counter() - began


def peer_python() -> str:
    """benchmarks/.venv-peers (made on first use, see harness.peer_python), with SimPy."""
    python = harness.peer_python("pandas")
    if subprocess.run([python, "-c", "import simpy"], capture_output=True).returncode:
        subprocess.run([python, "-m", "pip", "install", "-q", "-r",
                        str(HERE / "requirements.txt")], check=True)
    return python


def export(params: Parameters, replications: int, path: Path, first: date = FIRST,
           last: date = LAST, seed: int = SEED) -> None:
    """What the peer draws from, and the levels of Flyt's first ``replications``
    replications of ``seed`` (drawn as model.simulate draws them: the same stream, order
    and sizes), so that the two differ only in the dice of the patients and beds."""
    rng = model.Dice.of(seed).levels
    theta = model._levels(rng, params.level_sd, params.level_sd_m, replications)
    omega = model._levels(rng, params.wait_sd, params.wait_sd_m, replications) \
        * params.wait_level
    zero_shift = rng.normal(0.0, params.zero_sd, size=replications)
    days = [first.toordinal() + t for t in range((last - first).days + 1)]
    np.savez(path, rate=params.rate, weekday=params.weekday, month=params.month,
             shares=params.shares, zero=params.zero, short_term=params.short_term,
             wait_values=params.waits.values, wait_start=params.waits.start,
             wait_count=params.waits.count, wait_month=params.wait_month,
             beds=params.beds, home_rate=params.home_rate,
             length_values=params.lengths.values, length_start=params.lengths.start,
             length_count=params.lengths.count, open_m=params.open_m,
             open_waited=params.open_waited, short_m=params.short_m,
             short_elapsed=params.short_elapsed, theta=theta, omega=omega,
             zero_shift=zero_shift,
             day_weekday=np.array([date.fromordinal(d).weekday() for d in days]),
             day_month=np.array([date.fromordinal(d).month - 1 for d in days]))


@dataclass(frozen=True)
class Community:
    """KPI 1 and KPI 3 of the community per replication."""

    kpi1: np.ndarray
    kpi3: np.ndarray

    @classmethod
    def of(cls, outcome: model.Outcome) -> Community:
        return cls(outcome.ukp_days.sum(axis=1),
                   outcome.days_of_discharged.sum(axis=1) / outcome.discharged.sum(axis=1))


def run_peer(path: Path, seed: int = SEED) -> tuple[Community, float, harness.Run]:
    """The SimPy peer on an exported parameter file: its KPIs, its seconds simulating
    (without start-up and reading) and the whole process."""
    ran = measured([peer_python(), str(PEER), str(path), "--seed", str(seed)],
                   "SimPy peer")
    found = json.loads(ran.out.strip().splitlines()[-1])
    kpis = Community(np.array(found["ukp_days"]),
                     np.array(found["stay_days"]) / np.array(found["discharged"]))
    return kpis, found["seconds"], ran


def compare_peer(params: Parameters, replications: int, per_flyt: float, work: Path
                 ) -> None:
    """The peer's time per replication against Flyt's, and its KPIs 1 and 3 against
    Flyt's with the same levels."""
    path = work / "parameters.npz"
    export(params, replications, path)
    steps = load_payment_settings().steps
    flyt, t_flyt = timed(lambda: Community.of(model.simulate(
        params, model.plan_of(params, FIRST, LAST), replications, SEED, steps)))
    before = load()
    peer, seconds, ran = run_peer(path)
    per_peer = seconds / replications
    print(f"  SimPy peer, {replications} replications: {seconds:.1f} s simulating "
          f"({ran.seconds:.1f} s the process, {ran.peak_mb / 1024:.2f} GB; {before} -> "
          f"{load()}), {per_peer:.3f} s a replication -> {per_peer * 1000:.0f} s for "
          f"1 000; Flyt {per_flyt * 1000:.2f} ms a replication (baseline, R = 1 000): "
          f"Flyt / SimPy = 1 / {per_peer / per_flyt:.0f}")
    print(f"  Flyt with the same {replications} levels: {t_flyt:.2f} s")
    for name, a, b in (("KPI 1", flyt.kpi1, peer.kpi1), ("KPI 3", flyt.kpi3, peer.kpi3)):
        diff = b / a - 1
        se = diff.std(ddof=1) / np.sqrt(len(diff))
        print(f"  {name} community mean: Flyt {a.mean():,.2f}, SimPy {b.mean():,.2f} "
              f"({(b.mean() / a.mean() - 1) * 100:+.1f} %); paired by level: "
              f"{diff.mean() * 100:+.1f} % +- {se * 100:.1f} % (standard error)")


def table(stays: int, engine: str, params: Parameters, rows: list[Row]) -> None:
    print("\n| stays | engine | R | baseline | scenario | summary | flyt simulate "
          "(wall / CPU / peak RSS) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {stays:,} | {engine} | {r.replications:,} | {r.baseline:.2f} s | "
              f"{r.scenario:.2f} s | {r.summary:.2f} s | {r.process.seconds:.1f} s / "
              f"{r.process.cpu:.1f} s / {r.process.peak_mb / 1024:.2f} GB |")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        slope = (b.baseline - a.baseline) / (b.replications - a.replications)
        print(f"growth: baseline {slope * 1000:.2f} ms a replication "
              f"({slope * 1e6 / (params.rate.sum() * 365):.2f} us per UKP patient a year)")
    best = [r for r in rows if r.replications == 1000]
    if best:
        ok = best[0].process.seconds <= GOAL_SECONDS
        print(f"goal (flyt simulate, 1 000 replications, <= {GOAL_SECONDS:g} s, here with "
              f"the scenario too): {'met' if ok else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--replications", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--db", help="The store on this PostgreSQL database (emptied and "
                        "loaded) instead of an embedded DuckDB file.")
    parser.add_argument("--reuse", type=Path, help="Keep the data and stores in this "
                        "folder and reuse those made before.")
    parser.add_argument("--peer-replications", type=int, default=20,
                        help="Replications of the SimPy peer (0: no peer).")
    args = parser.parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="flyt-simbench-"))
    work.mkdir(parents=True, exist_ok=True)
    engine = "PostgreSQL" if args.db else "DuckDB"
    try:
        for stays in args.stays:
            print(f"\n{stays:,} stays, {engine}, {FIRST:%d.%m.%Y}-{LAST:%d.%m.%Y} "
                  f"({load()})", flush=True)
            env = make_store(stays, work, args.db)
            url = args.db or f"duckdb:///{work / f'store-{stays}' / 'flyt.duckdb'}"
            params, rows = in_process(url, args.replications, work, env, stays)
            table(stays, engine, params, rows)
            if args.peer_replications:
                per = [r.baseline / r.replications for r in rows if r.replications == 1000]
                per_flyt = per[0] if per else rows[-1].baseline / rows[-1].replications
                compare_peer(params, args.peer_replications, per_flyt, work)
    finally:
        if not args.reuse:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
