"""A second, deliberately plain reading of spec/kpi.md, to check the SQL engine against.

Nothing clever: every UKP day is a date in a Python set, every sum a loop, every
rounding an exact fraction. It shares no code with ``flyt.engine`` (only the reference
data file, which says which municipalities, regions and units exist). It computes the
same long table the engine stores: month x group x sector x KPI, with the rolling 12
months and the preliminary flag.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from importlib import resources

from tests.support.records import Period, ShortStay, Stay

SECTORS = ("somatikk", "psykisk_helsevern")
HOME = ("hjem", "hjem_med_tjenester")
SHARES = (2, 4, 5)  # percentages with one decimal; KPIs 3 and 6 are means with two

Key = tuple[str, str, str, str, int]  # month "YYYY-MM", group type, group id, sector, KPI


@dataclass(frozen=True)
class Cell:
    value: float | None
    numerator: int | None
    denominator: int | None
    value_12m: float | None
    numerator_12m: int | None
    denominator_12m: int | None
    preliminary: bool


@dataclass(frozen=True)
class Reference:
    regions: dict[str, str]  # kommunenummer -> region
    short_term_units: tuple[str, ...]

    @classmethod
    def default(cls) -> Reference:
        def rows(name: str) -> list[dict[str, str]]:
            text = (resources.files("flyt.reference") / name).read_text(encoding="utf-8")
            return list(csv.DictReader(io.StringIO(text)))

        return cls(
            regions={r["kommunenummer"]: r["region"] for r in rows("municipalities.csv")},
            short_term_units=tuple(r["unit"] for r in rows("units.csv")
                                   if r["kind"] == "short_term"),
        )


def month_of(d: date | datetime) -> date:
    return date(d.year, d.month, 1)


def next_month(m: date) -> date:
    return date(m.year + m.month // 12, m.month % 12 + 1, 1)


def ukp_dates(stay: Stay, periods: list[Period], cutoff: datetime) -> set[date] | None:
    """The dates of the stay's UKP days as known at the cut-off; None: not a UKP stay."""
    if periods:
        declared = [(p.ready_from, p.ready_to) for p in periods]
    elif stay.ready_at is not None:
        declared = [(stay.ready_at, None)]
    else:
        return None
    declared = [(start, stop) for start, stop in declared if start <= cutoff]
    if not declared:
        return None
    discharged = discharged_by(stay, cutoff)
    dates: set[date] = set()
    for start, stop in declared:
        end = min(t for t in (stop, discharged, cutoff) if t is not None)
        d = start.date()
        while d < end.date():
            dates.add(d)
            d += timedelta(days=1)
    return dates


def discharged_by(stay: Stay, cutoff: datetime) -> datetime | None:
    if stay.discharged_at is not None and stay.discharged_at <= cutoff:
        return stay.discharged_at
    return None


def readmitted(index: Stay, discharged: datetime, stays: list[Stay]) -> bool:
    for other in stays:  # of any source and sector
        if other.patient_id != index.patient_id or other.admission_type != "akutt":
            continue
        gap = other.admitted_at - discharged  # naive wall-clock times, as given
        if timedelta(hours=8) < gap <= timedelta(hours=30 * 24):
            return True
    return False


def rounded(kpi: int, numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None:
        return None
    if kpi == 1:
        return float(numerator)
    if not denominator:
        return None
    scale = 10 if kpi in SHARES else 100
    exact = Fraction(numerator * (100 if kpi in SHARES else 1) * scale, denominator)
    return math.floor(exact + Fraction(1, 2)) / scale  # half up


def expected_table(
    stays: Iterable[Stay],
    periods: Iterable[Period],
    short_stays: Iterable[ShortStay],
    cutoff: datetime,
    reference: Reference | None = None,
) -> dict[Key, Cell]:
    ref = reference or Reference.default()
    stays = [s for s in stays if s.admitted_at <= cutoff]  # later admissions do not exist
    periods_of: dict[tuple[str, str], list[Period]] = defaultdict(list)
    for p in periods:
        periods_of[(p.source, p.stay_id)].append(p)
    shorts = list(short_stays)

    # numerator and denominator per month x municipality x sector x KPI
    num: dict[tuple[date, str, str, int], int] = defaultdict(int)
    den: dict[tuple[date, str, str, int], int] = defaultdict(int)
    for s in stays:
        dates = ukp_dates(s, periods_of[(s.source, s.stay_id)], cutoff)
        if dates is None:
            continue
        for d in dates:
            num[(month_of(d), s.municipality, s.sector, 1)] += 1
        discharged = discharged_by(s, cutoff)
        if discharged is None:
            continue
        m = month_of(discharged)
        cell = (m, s.municipality, s.sector)
        num[(*cell, 2)] += 1 if len(dates) == 0 else 0
        den[(*cell, 2)] += 1
        num[(*cell, 3)] += len(dates)
        den[(*cell, 3)] += 1
        if s.discharge_destination == "dod":
            continue
        num[(*cell, 4)] += 1 if s.discharge_destination in HOME else 0
        den[(*cell, 4)] += 1
        num[(*cell, 5)] += 1 if readmitted(s, discharged, stays) else 0
        den[(*cell, 5)] += 1
    short_num: dict[tuple[date, str, str], int] = defaultdict(int)  # month, municipality, unit
    short_den: dict[tuple[date, str, str], int] = defaultdict(int)
    for k in shorts:
        if k.ended_at is None or k.ended_at > cutoff or k.started_at > cutoff:
            continue
        key = (month_of(k.ended_at), k.municipality, k.unit)
        short_num[key] += (k.ended_at.date() - k.started_at.date()).days
        short_den[key] += 1

    starts = [s.admitted_at for s in stays] + [k.started_at for k in shorts
                                                if k.started_at <= cutoff]
    if not starts:
        return {}
    months = [month_of(min(starts))]
    while months[-1] < month_of(cutoff):
        months.append(next_month(months[-1]))

    groups: list[tuple[str, str, set[str]]] = [("community", "all", set(ref.regions))]
    groups += [("region", region, {m for m, r in ref.regions.items() if r == region})
               for region in sorted(set(ref.regions.values()))]
    groups += [("municipality", m, {m}) for m in ref.regions]
    sector_groups = [("somatikk", {"somatikk"}), ("psykisk_helsevern", {"psykisk_helsevern"}),
                     ("alle", set(SECTORS))]

    # month -> (numerator, denominator) for every series, then the rolling window
    series: dict[tuple[str, str, str, int], list[tuple[int, int | None]]] = {}
    for group_type, group_id, members in groups:
        for sector, sector_members in sector_groups:
            for kpi in range(1, 6):
                series[(group_type, group_id, sector, kpi)] = [
                    (
                        sum(num[(m, mu, se, kpi)] for mu in members for se in sector_members),
                        None if kpi == 1 else
                        sum(den[(m, mu, se, kpi)] for mu in members for se in sector_members),
                    )
                    for m in months
                ]
        series[(group_type, group_id, "alle", 6)] = [
            (sum(v for (mm, mu, _), v in short_num.items() if mm == m and mu in members),
             sum(v for (mm, mu, _), v in short_den.items() if mm == m and mu in members))
            for m in months
        ]
    for unit in ref.short_term_units:
        series[("unit", unit, "alle", 6)] = [
            (sum(v for (mm, _, u), v in short_num.items() if mm == m and u == unit),
             sum(v for (mm, _, u), v in short_den.items() if mm == m and u == unit))
            for m in months
        ]

    table: dict[Key, Cell] = {}
    for (group_type, group_id, sector, kpi), values in series.items():
        for i, m in enumerate(months):
            n, d = values[i]
            n12 = d12 = None
            if i >= 11:  # the 12 months ending with m all lie within the data
                window = values[i - 11 : i + 1]
                n12 = sum(v[0] for v in window)
                d12 = None if kpi == 1 else sum(v[1] or 0 for v in window)
            end_of_month = datetime.combine(next_month(m), datetime.min.time())
            table[(f"{m:%Y-%m}", group_type, group_id, sector, kpi)] = Cell(
                value=rounded(kpi, n, d), numerator=n, denominator=d,
                value_12m=rounded(kpi, n12, d12), numerator_12m=n12, denominator_12m=d12,
                preliminary=kpi == 5 and cutoff < end_of_month + timedelta(days=30),
            )
    return table
