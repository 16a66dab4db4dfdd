"""The generator's own count of what it made, against the calibration facts of seed 002.

UKP days are counted as in spec/kpi.md: for each UKP period the days
date(ready) <= d < date(end), end = withdrawal, discharge or the cut-off; the
periods of one stay never overlap here, so their union is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from flyt.demo import model
from flyt.demo.stays import DEST, StayTable
from flyt.demo.timeline import MINUTES_PER_DAY, NONE, day_number, months_of, years_of

YEAR = model.CALIBRATION_YEAR
READMISSION_MIN, READMISSION_MAX = 8 * 60, 30 * 24 * 60  # KPI 5, in minutes
MIN_SAMPLE = 50  # shares over fewer stays are not checked


@dataclass(frozen=True)
class CalibrationLine:
    name: str
    expected: str
    actual: float
    ok: bool


@dataclass(frozen=True)
class UkpCount:
    first_day: int
    per_day: np.ndarray  # UKP days on each day from first_day up to the day before the cut-off
    stay: np.ndarray  # index into the stays of each UKP stay
    total: np.ndarray  # UKP days of each UKP stay, up to the cut-off


def count_ukp_days(stays: StayTable, first_day: int, cutoff_day: int) -> UkpCount:
    ukp = np.flatnonzero(stays.ready != NONE)
    start = stays.ready[ukp] // MINUTES_PER_DAY
    disc = stays.discharged[ukp]
    final = np.where(disc == NONE, cutoff_day, disc // MINUTES_PER_DAY)
    wd = stays.withdrawn[ukp]
    again = stays.ready_again[ukp]
    end1 = np.where(wd != NONE, wd // MINUTES_PER_DAY, final)
    two = np.flatnonzero(again != NONE)
    starts = np.concatenate([start, again[two] // MINUTES_PER_DAY]) - first_day
    ends = np.concatenate([end1, final[two]]) - first_day
    owner = np.concatenate([np.arange(len(ukp)), two])
    span = cutoff_day - first_day + 1
    per_day = np.cumsum(np.bincount(starts, minlength=span)[:span]
                        - np.bincount(ends, minlength=span)[:span])[:-1]
    total = np.bincount(owner, weights=ends - starts, minlength=len(ukp)).astype(np.int64)
    return UkpCount(first_day, per_day, ukp, total)


def days_by_year(count: UkpCount) -> dict[int, int]:
    days = count.first_day + np.arange(len(count.per_day))
    years = years_of(days)
    return {int(y): int(count.per_day[years == y].sum()) for y in np.unique(years)}


def _full_year(count: UkpCount, year: int) -> bool:
    return (count.first_day <= day_number(date(year, 1, 1))
            and count.first_day + len(count.per_day) >= day_number(date(year + 1, 1, 1)))


def _line(name: str, expected: str, actual: float, ok: bool) -> CalibrationLine:
    return CalibrationLine(name, expected, round(float(actual), 4), bool(ok))


def _tail_lines(stays: StayTable, count: UkpCount, sector: int, limit: int, label: str,
                share: tuple[float, float]) -> list[CalibrationLine]:
    ready_year = years_of(stays.ready[count.stay] // MINUTES_PER_DAY)
    sel = (ready_year == YEAR) & (stays.sector[count.stay] == sector)
    days = count.total[sel]
    if len(days) < MIN_SAMPLE or days.sum() == 0:
        return []
    long = days > limit
    p_stays, p_days = 100 * long.mean(), 100 * days[long].sum() / days.sum()
    return [
        _line(f"{label} UKP stays {YEAR} (n={len(days)}) with > {limit} days, %",
              f"{share[0]:.1f}-{share[1]:.1f}", p_stays, share[0] <= p_stays <= share[1]),
        _line(f"  their share of {label} UKP days, %", "> 50", p_days, p_days > 50),
    ]


def _season_lines(count: UkpCount) -> list[CalibrationLine]:
    years = [y for y in (YEAR, YEAR + 1) if _full_year(count, y)]
    if not years:
        return []
    days = count.first_day + np.arange(len(count.per_day))
    in_years = np.isin(years_of(days), years)
    mean = count.per_day[in_years].mean()
    month = months_of(days)
    out = []
    for label, months in (("July", [7]), ("January-February", [1, 2])):
        ratio = count.per_day[in_years & np.isin(month, months)].mean() / mean
        out.append(_line(f"{label} UKP days per day / yearly mean ({'-'.join(map(str, years))})",
                         "> 1", ratio, ratio > 1))
    return out


def readmission_share(stays: StayTable, next_admitted: np.ndarray, next_acute: np.ndarray,
                      cutoff: int) -> tuple[float, int]:
    """KPI 5 rule over all UKP stays discharged alive with a closed 30-day window
    (the next stay of the patient decides: the generator never puts a planned stay
    between a discharge and an acute readmission)."""
    sel = ((stays.ready != NONE) & (stays.discharged != NONE)
           & (stays.discharged <= cutoff - READMISSION_MAX)
           & (stays.destination != DEST["dod"]))
    gap = next_admitted[sel] - stays.discharged[sel]
    hit = (next_admitted[sel] != NONE) & next_acute[sel] & (gap > READMISSION_MIN) & (
        gap <= READMISSION_MAX)
    return float(100 * hit.mean()) if hit.size else 0.0, int(hit.size)


def calibration_lines(stays: StayTable, count: UkpCount, scale: float, next_admitted: np.ndarray,
                      next_acute: np.ndarray, cutoff: int) -> list[CalibrationLine]:
    by_year = days_by_year(count)
    full = {y: v for y, v in by_year.items() if _full_year(count, y)}
    lines = []
    if YEAR in full:
        target = model.UKP_DAYS_BY_YEAR[YEAR] * scale
        lines.append(_line(f"UKP days {YEAR}", f"{target:.0f} +-3%", full[YEAR],
                           abs(full[YEAR] / target - 1) <= 0.03))
    if YEAR in full and 2019 in full:
        r = full[YEAR] / max(full[2019], 1)
        lines.append(_line(f"UKP days {YEAR} / 2019", "1.8-2.2 (doubling)", r, 1.8 <= r <= 2.2))
    if YEAR in full and YEAR + 1 in full:
        r = full[YEAR + 1] / max(full[YEAR], 1)
        lines.append(_line(f"UKP days {YEAR + 1} / {YEAR}", "0.9-1.1 (same level)", r,
                           0.9 <= r <= 1.1))
    for y in (2024, 2025):
        if y in full and y - 1 in full:
            r = full[y] / max(full[y - 1], 1)
            lines.append(_line(f"UKP days {y} / {y - 1}", "< 1 (falling)", r, r < 1))
    lines += _tail_lines(stays, count, 0, 8, "somatic", (11.0, 15.0))
    lines += _tail_lines(stays, count, 1, 18, "mental-health", (3.5, 6.5))
    ready_year = years_of(stays.ready[count.stay] // MINUTES_PER_DAY)
    zero = count.total[ready_year == YEAR]
    if len(zero) >= MIN_SAMPLE:
        z = 100 * (zero == 0).mean()
        lines.append(_line(f"UKP stays {YEAR} (n={len(zero)}) with 0 days, %", "20-45", z,
                           20 <= z <= 45))
    lines += _season_lines(count)
    share, n = readmission_share(stays, next_admitted, next_acute, cutoff)
    if n >= MIN_SAMPLE:
        lines.append(_line(f"UKP stays discharged alive (n={n}) readmitted 8 h-30 days, %",
                           "10-20", share, 10 <= share <= 20))
    return lines


def format_lines(lines: list[CalibrationLine]) -> str:
    width = max([len(line.name) for line in lines] + [5])
    rows = [f"{'check':<{width}}  {'expected':<20}  {'actual':>10}  ok"]
    for line in lines:
        actual = f"{line.actual:.0f}" if abs(line.actual) >= 1000 else f"{line.actual:.2f}"
        rows.append(f"{line.name:<{width}}  {line.expected:<20}  {actual:>10}  "
                    f"{'yes' if line.ok else 'NO'}")
    return "\n".join(rows)
