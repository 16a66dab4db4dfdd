"""Synthetic demo data for Flyt: the four canonical CSV files, calibrated on seed 002.

No real patient is in here: every person, stay and number is drawn from the
distributions in flyt.demo.model. Same seed and arguments give byte-identical
files. `stays` is the number of rows of stays.csv; the UKP part of it follows
the St. Olavs calibration scaled by stays / DEFAULT_STAYS, and the other stays
fill the rest, so a window much shorter than 2019–2026 makes the background
denser, not the UKP figures different.

The cut-off is `until` at 00:00: nothing at or after it exists (stays still in
hospital have an empty discharged_at, periods still open an empty ready_to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from flyt.demo import writer as w
from flyt.demo.background import other_stays
from flyt.demo.calibration import (
    CalibrationLine,
    calibration_lines,
    count_ukp_days,
    days_by_year,
    format_lines,
)
from flyt.demo.hospital import LOCATIONS, Climate, readmissions, ukp_stays
from flyt.demo.municipal import BedCensus, ShortStays, bed_census, short_stays
from flyt.demo.reference import Reference, load_reference
from flyt.demo.stays import DEPARTMENTS, StayTable
from flyt.demo.timeline import MINUTES_PER_DAY, NONE, day_number
from flyt.domain import clock
from flyt.domain.codes import ADMISSION_TYPES, DISCHARGE_DESTINATIONS, SECTORS, SEXES

__all__ = ["DEFAULT_STAYS", "DEFAULT_START", "CalibrationLine", "DemoSummary", "generate",
           "format_calibration"]

DEFAULT_STAYS = 300_000
DEFAULT_START = date(2019, 1, 1)
FILES = {"stays": "stays.csv", "ukp_periods": "ukp_periods.csv",
         "short_stays": "short_stays.csv", "beds": "beds.csv"}
HEADERS = {
    "stays": ("stay_id", "patient_id", "municipality", "sector", "admission_type", "admitted_at",
              "ready_at", "discharged_at", "discharge_destination", "location", "department",
              "birth_year", "sex", "frailty_score"),
    "ukp_periods": ("stay_id", "ready_from", "ready_to"),
    "short_stays": ("stay_id", "patient_id", "municipality", "unit", "started_at", "ended_at",
                    "from_hospital"),
    "beds": ("unit", "at", "available", "occupied"),
}


@dataclass(frozen=True)
class DemoSummary:
    files: dict[str, Path]  # kind -> path: stays, ukp_periods, short_stays, beds
    stays: int
    ukp_stays: int
    ukp_periods: int
    short_stays: int
    bed_censuses: int
    ukp_days_by_year: dict[int, int]  # generator's own count, all sectors, up to `until`
    calibration: list[CalibrationLine]


def format_calibration(summary: DemoSummary) -> str:
    """A short plain-text table of the calibration checks, for the CLI."""
    return format_lines(summary.calibration)


def _check_reference(ref: Reference) -> None:
    for name in LOCATIONS:
        if name not in ref.units or ref.units[name][0] not in ("hospital", "aftercare"):
            raise ValueError(f"units.csv lacks the hospital or after-care unit {name!r}")
    for code in ref.codes:
        if not ref.short_term_units(code):
            raise ValueError(f"units.csv has no short-term unit for municipality {code}")


def _hospital_stays(rngs: list[np.random.Generator], ref: Reference, stays: int,
                    start_day: int, cutoff_day: int) -> StayTable:
    scale = stays / DEFAULT_STAYS
    cutoff = cutoff_day * MINUTES_PER_DAY
    climate = Climate.build(start_day, cutoff_day + 400)
    ukp = ukp_stays(rngs[0], ref, climate, start_day, cutoff_day, scale)
    ukp.apply_cutoff(cutoff)
    again = readmissions(rngs[1], ukp, ref, climate, cutoff, scale)
    n_other = stays - len(ukp) - len(again)
    if n_other < 0:
        raise ValueError(f"stays={stays} is too few for the UKP stays of this period "
                         f"({len(ukp) + len(again)}); ask for more stays or a shorter period")
    other = other_stays(rngs[2], ref, n_other, start_day, cutoff_day)
    other.patient += len(ukp)
    table = StayTable.concat([ukp, again, other])
    del ukp, again, other
    table.apply_cutoff(cutoff)
    table.reorder(np.lexsort((table.patient, table.admitted)))
    # patient numbers 1..n in random order, so that they say nothing about the stays
    used = np.zeros(int(table.patient.max()) + 1, dtype=bool)
    used[table.patient] = True
    number = np.zeros(len(used), dtype=np.int64)
    number[used] = rngs[3].permutation(int(used.sum())) + 1
    table.patient = number[table.patient]
    return table


def _next_admission(table: StayTable) -> tuple[np.ndarray, np.ndarray]:
    """Admission moment and type of each stay's patient's next stay (NONE if none)."""
    order = np.lexsort((table.admitted, table.patient))
    nxt = np.full(len(table), NONE, dtype=np.int64)
    acute = np.zeros(len(table), dtype=bool)
    same = table.patient[order[1:]] == table.patient[order[:-1]]
    nxt[order[:-1][same]] = table.admitted[order[1:][same]]
    acute[order[:-1][same]] = table.acute[order[1:][same]]
    return nxt, acute


def _width(largest: int) -> int:
    return max(8, len(str(largest)))


def _write_stays(path: Path, t: StayTable, ref: Reference) -> None:
    sw, pw = _width(len(t)), _width(int(t.patient.max(initial=0)))

    def cols(r: slice) -> list[pa.Array]:
        return [
            w.ids("S", np.arange(r.start, r.stop) + 1, sw), w.ids("P", t.patient[r], pw),
            w.names(ref.codes, t.municipality[r]), w.names(SECTORS, t.sector[r]),
            w.names(ADMISSION_TYPES, np.where(t.acute[r], 0, 1)),
            w.datetimes(t.admitted[r]), w.datetimes(t.ready[r]), w.datetimes(t.discharged[r]),
            w.names(DISCHARGE_DESTINATIONS, t.destination[r]), w.names(LOCATIONS, t.location[r]),
            w.names(DEPARTMENTS, t.department[r]), w.integers(t.birth_year[r]),
            w.names(SEXES, np.where(t.female[r], 0, 1)),
            w.integers(t.frailty[r], t.frailty[r] == 0),
        ]

    w.write(path, HEADERS["stays"], len(t), cols)


def _write_periods(path: Path, t: StayTable) -> int:
    first = np.flatnonzero(t.withdrawn != NONE)
    second = first[t.ready_again[first] != NONE]
    stay = np.concatenate([first, second])
    start = np.concatenate([t.ready[first], t.ready_again[second]])
    end = np.concatenate([t.withdrawn[first], np.full(len(second), NONE)])
    order = np.lexsort((start, stay))
    stay, start, end = stay[order], start[order], end[order]
    sw = _width(len(t))
    w.write(path, HEADERS["ukp_periods"], len(stay), lambda r: [
        w.ids("S", stay[r] + 1, sw), w.datetimes(start[r]), w.datetimes(end[r])])
    return len(stay)


def _write_short_stays(path: Path, s: ShortStays, ref: Reference) -> None:
    order = np.lexsort((s.patient, s.started))
    p, m, u = s.patient[order], s.municipality[order], s.unit[order]
    st, en, fh = s.started[order], s.ended[order], s.from_hospital[order]
    kw, pw = _width(len(order)), _width(int(p.max(initial=0)))
    w.write(path, HEADERS["short_stays"], len(order), lambda r: [
        w.ids("K", np.arange(r.start, r.stop) + 1, kw), w.ids("P", p[r], pw),
        w.names(ref.codes, m[r]), w.names(s.unit_names, u[r]), w.datetimes(st[r]),
        w.datetimes(en[r]), w.booleans(fh[r])])


def _write_beds(path: Path, b: BedCensus) -> None:
    w.write(path, HEADERS["beds"], len(b.at), lambda r: [
        w.names(b.unit_names, b.unit[r]), w.datetimes(b.at[r]), w.integers(b.available[r]),
        w.integers(b.occupied[r])])


def generate(output: Path, *, stays: int = DEFAULT_STAYS, seed: int = 1,
             start: date = DEFAULT_START, until: date | None = None) -> DemoSummary:
    """Write stays.csv, ukp_periods.csv, short_stays.csv and beds.csv into `output`."""
    until = until or clock.today()
    if stays < 1:
        raise ValueError("stays must be positive")
    if until <= start:
        raise ValueError("until must be after start")
    ref = load_reference()
    _check_reference(ref)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    start_day, cutoff_day = day_number(start), day_number(until)
    cutoff = cutoff_day * MINUTES_PER_DAY

    table = _hospital_stays(rngs, ref, stays, start_day, cutoff_day)
    next_admitted, next_acute = _next_admission(table)
    short = short_stays(rngs[4], ref, table, next_admitted, start_day, cutoff,
                        int(table.patient.max(initial=0)) + 1)
    beds = bed_census(rngs[5], ref, table, LOCATIONS, short, start_day, cutoff)
    count = count_ukp_days(table, start_day, cutoff_day)

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    files = {kind: output / name for kind, name in FILES.items()}
    _write_stays(files["stays"], table, ref)
    n_periods = _write_periods(files["ukp_periods"], table)
    _write_short_stays(files["short_stays"], short, ref)
    _write_beds(files["beds"], beds)
    return DemoSummary(
        files=files,
        stays=len(table),
        ukp_stays=int((table.ready != NONE).sum()),
        ukp_periods=n_periods,
        short_stays=len(short.started),
        bed_censuses=len(beds.at),
        ukp_days_by_year=days_by_year(count),
        calibration=calibration_lines(table, count, stays / DEFAULT_STAYS, next_admitted,
                                      next_acute, cutoff),
    )
