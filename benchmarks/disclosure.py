"""Disclosure control's cost beside the KPI computation it belongs to.

For each size: demo data (`flyt generate`, fixed seed, data to a fixed day) imported
into an embedded DuckDB file; then, in this process, best of two: the KPI rules alone
(`flyt.engine.compute.compute`; the pattern is not part of it), deciding the shared
edition's pattern (flyt.disclosure.pattern.decide, CPU and wall), and the audit of the stored
pattern against everything the KPI table shows (flyt.disclosure.audit). Prints the
figures and the share of the pattern in a recompute, and the information kept.

    .venv/bin/python benchmarks/disclosure.py            # --stays 300000 700000 1000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UNTIL, CUTOFF, LAST_MONTH = "2026-06-30", "2026-07-15", "2026-06"


def flyt(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "flyt", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def prepare(stays: int, work: Path) -> str:
    folder = work / f"s{stays}"
    url = f"duckdb:///{folder / 'flyt.duckdb'}"
    if (folder / "flyt.duckdb").exists():
        return url
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FLYT_DATA_DIR": str(folder / "data"), "FLYT_PSEUDONYM_KEY": "bench"}
    flyt("generate", "--output", str(folder / "csv"), "--stays", str(stays), "--seed", "3",
         "--until", UNTIL, env=env)
    for kind, name in (("stays", "stays"), ("ukp-periods", "ukp_periods"),
                       ("short-stays", "short_stays"), ("beds", "beds")):
        flyt("import", kind, str(folder / "csv" / f"{name}.csv"), "--source", "bench",
             "--no-recompute", "--db", url, env=env)
    return url


def best(runs: int, work) -> tuple[float, float, object]:
    results = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = work()
        results.append((time.perf_counter() - wall, time.process_time() - cpu, value))
    return min(results, key=lambda r: r[0])


def measure(stays: int, url: str) -> None:
    from flyt.config import GoalSettings
    from flyt.disclosure import audit
    from flyt.disclosure.model import MONTH, ROLLING
    from flyt.disclosure.pattern import decide, information_loss, key, people
    from flyt.domain.months import parse_moment
    from flyt.engine import compute
    from flyt.engine.pattern import ensure as ensure_pattern
    from flyt.engine.pattern import goal_cells, structure_from_store
    from flyt.engine.read import kpi_rows
    from flyt.store.db import Database

    db = Database.open(url)
    cutoff = parse_moment(CUTOFF)
    total, _, _ = best(2, lambda: compute.compute(db, cutoff, GoalSettings(), 5))
    structure, rows = structure_from_store(db, cutoff)

    def deciding():
        fresh = type(structure)(structure.months, structure.region_of, structure.atoms)
        return decide(rows, fresh, 5, goal_cells(GoalSettings()), complete_until=LAST_MONTH)

    wall, cpu, pattern = best(2, deciding)
    ensure_pattern(db, cutoff, GoalSettings(), 5)
    shared = [r for r in kpi_rows(db, cutoff) if r.month <= LAST_MONTH]
    hidden = {(key(r), MONTH) for r in shared if r.hidden} | {
        (key(r), ROLLING) for r in shared if r.hidden_12m}
    shown = {(key(r), part) for r in shared for part in (MONTH, ROLLING)
             if people(r, part) is not None} - hidden
    audit_wall, _, found = best(1, lambda: audit.disclosed(structure, shown, hidden))
    loss = information_loss([r for r in shared if r.kpi == 1], pattern)
    municipal = loss[("municipality", ROLLING, "alle")]
    print(f"{stays:>9,} stays, {len(structure.months)} months: recompute {total:5.2f} s; "
          f"deciding the pattern (first shared read) {wall:5.2f} s ({cpu:.2f} s CPU); "
          f"audit {audit_wall:5.2f} s ({len(found)} given away); "
          f"{len(pattern.primary)} primary + {len(pattern.secondary)} secondary cells; "
          f"municipalities' 12-month UKP days hidden {100 * municipal[0] / municipal[1]:.1f} %")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, nargs="+", default=[300_000, 700_000, 1_000_000])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "flyt-bench-disclosure")
    args = parser.parse_args()
    for stays in args.stays:
        measure(stays, prepare(stays, args.work))


if __name__ == "__main__":
    main()
