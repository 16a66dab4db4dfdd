"""Benchmark: Flyt's whole pipeline against two peer scripts (issue 11, §1).

    python benchmarks/pipeline.py                          # 1 M stays, embedded DuckDB
    python benchmarks/pipeline.py --stays 1000000 10000000
    python benchmarks/pipeline.py --db postgresql://flyt:flyt@127.0.0.1:5432/flyt_bench_peers

For N stays the demo data is generated once (data to 01.11.2026); then, each as whole
processes and best of ``--runs`` (2):

- Flyt as a user runs it, into a fresh store: ``flyt import stays``, ``ukp-periods``,
  ``short-stays`` (``--source bench``, each recomputing as usual) and ``flyt kpi
  --rolling --cutoff 2026-11-01 --format csv --output …``;
- benchmarks/peers/duckdb_pipeline.py and pandas_pipeline.py: the same table from the
  same CSV files (benchmarks/peers/check.py proves they agree with Flyt; here the
  tables are compared again at full size).

Prints wall time, CPU time (user + system) and peak RSS of each, Flyt's steps (CLI
start = ``flyt --help``), the ratios Flyt / DuckDB and Flyt / pandas of wall times
against the goals (≤ 3 and ≤ 0.5), and the load average before and after.
PostgreSQL's own memory is not in the figures. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))

import compare  # noqa: E402
import harness  # noqa: E402

CUTOFF = datetime(2026, 11, 1)
GOAL_VS_DUCKDB = 3.0  # Flyt end to end at most 3 x the plain DuckDB script
GOAL_VS_PANDAS = 0.5  # and at most half the pandas script


def load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def best(runs: list[harness.Run]) -> harness.Run:
    return min(runs, key=lambda r: r.seconds)


def flyt_once(data: Path, work: Path, db: str | None, output: Path) -> dict[str, harness.Run]:
    """One whole Flyt pipeline into a fresh store: its steps, then ``total`` (wall time
    summed, peak RSS the largest of a step)."""
    env = harness.fresh_store(work / "store", db)
    steps = harness.flyt_imports(data, env)
    steps["kpi"] = harness.flyt_kpi(CUTOFF, output, env)
    steps["total"] = harness.Run(sum(r.seconds for r in steps.values()),
                                 max(r.peak_mb for r in steps.values()), "",
                                 sum(r.cpu for r in steps.values()))
    return steps


def line(label: str, r: harness.Run) -> str:
    return f"  {label:<28} {r.seconds:8.2f} s {r.cpu:8.2f} s {r.peak_mb / 1024:8.2f} GB"


def bench(stays: int, work: Path, db: str | None, runs: int) -> bool:
    """Print the figures for ``stays``; False when a peer's table differs from Flyt's."""
    data = work / f"data-{stays}"
    made = harness.generate(data, stays, CUTOFF)
    engine = "PostgreSQL" if db else "embedded DuckDB"
    print(f"\n{stays:,} stays, cut-off {CUTOFF:%Y-%m-%d}, Flyt on {engine}; {load()}"
          + (f"; generated in {made.seconds:.1f} s" if made else ""), flush=True)
    help_runs = [harness.run(harness.flyt_command() + ["--help"], "flyt --help")
                 for _ in range(runs)]
    flyt_runs = [flyt_once(data, work, db, work / f"flyt-{stays}.csv") for _ in range(runs)]
    peer_runs = {name: [harness.peer(name, data, CUTOFF, work / f"{name}-{stays}.csv")
                        for _ in range(runs)] for name in harness.PEERS}

    flyt = min(flyt_runs, key=lambda steps: steps["total"].seconds)
    print(f"best of {runs}, whole processes            wall        CPU     peak RSS")
    print(line("Flyt (3 imports + kpi)", flyt["total"]))
    for name, timed in peer_runs.items():
        print(line(f"{name} peer", best(timed)))
    print("Flyt's steps (of its best run):")
    print(line("CLI start (flyt --help)", best(help_runs)))
    for step, r in flyt.items():
        if step != "total":
            print(line(step, r))
    ratios = {name: flyt["total"].seconds / best(timed).seconds
              for name, timed in peer_runs.items()}
    print(f"Flyt / DuckDB {ratios['duckdb']:.1f} (goal <= {GOAL_VS_DUCKDB:g}: "
          f"{'met' if ratios['duckdb'] <= GOAL_VS_DUCKDB else 'not met'}); "
          f"Flyt / pandas {ratios['pandas']:.2f} (goal <= {GOAL_VS_PANDAS:g}: "
          f"{'met' if ratios['pandas'] <= GOAL_VS_PANDAS else 'not met'}); {load()}")
    return all([compare.report(work / f"flyt-{stays}.csv", work / f"{name}-{stays}.csv")
                for name in harness.PEERS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--db", help="Flyt on this PostgreSQL database (emptied before "
                        "each run) instead of a fresh embedded DuckDB file.")
    parser.add_argument("--runs", type=int, default=2, help="Runs of each (the best counts).")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir())
                        / "flyt-pipeline", help="Generated data, stores and tables.")
    parser.add_argument("--keep", action="store_true", help="Keep --work afterwards "
                        "(a second run then reuses the generated data).")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    agree = all([bench(n, args.work, args.db, args.runs) for n in args.stays])
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
