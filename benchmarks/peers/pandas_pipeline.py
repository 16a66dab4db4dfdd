"""Peer: Flyt's full KPI table from the canonical CSV files in one vectorised pandas script.

    python benchmarks/peers/pandas_pipeline.py DATA_DIR --cutoff 2026-11-01 --output kpi.csv

What an analyst would write in pandas to get the numbers of spec/kpi.md (as Flyt
implements them, docs/kpi-rules.md) out of `stays.csv`, `ukp_periods.csv` and
`short_stays.csv`: whole-column operations, no loop over rows, no validation, nothing
kept but the table. It is a yardstick of issue 11 and must agree with ``flyt kpi
--rolling --format csv`` on every cell (benchmarks/peers/check.py proves it).

The files come from one source (``flyt generate``), so a stay is keyed by its id alone.
The community's municipalities, regions and short-term units are the reference CSV files
Flyt ships (``--reference`` for others). Independent of the ``flyt`` package on purpose.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "src" / "flyt" / "reference"
HOME = ("hjem", "hjem_med_tjenester")
DEATH = "dod"
SECTOR_GROUPS = pd.DataFrame({"sector": ["somatikk", "psykisk_helsevern", "somatikk",
                                         "psykisk_helsevern"],
                              "sector_group": ["somatikk", "psykisk_helsevern", "alle", "alle"]})
KEYS = ["group_type", "group_id", "sector", "kpi"]
STAY_COLUMNS = ["stay_id", "patient_id", "municipality", "sector", "admission_type",
                "admitted_at", "ready_at", "discharged_at", "discharge_destination"]


TYPES = {"stay_id": "str", "municipality": "str",  # kommunenummer: keep the leading zero
         **{c: "datetime64[s]" for c in ("admitted_at", "ready_at", "discharged_at",
                                         "ready_from", "ready_to", "started_at", "ended_at")}}


def read(path: Path, columns: list[str]) -> pd.DataFrame:
    # The pyarrow reader is multi-threaded and parses ISO times itself; the types are
    # given so that a column with no value at all is still a time.
    return pd.read_csv(path, engine="pyarrow", usecols=columns,
                       dtype={c: TYPES[c] for c in columns if c in TYPES})


def load_stays(data: Path, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Stays admitted by the cut-off; a discharge after it has not happened yet."""
    stays = read(data / "stays.csv", STAY_COLUMNS)
    stays = stays[stays["admitted_at"] <= cutoff].copy()
    gone = stays["discharged_at"] <= cutoff
    stays["discharged_at"] = stays["discharged_at"].where(gone)
    stays["destination"] = stays["discharge_destination"].where(gone)
    return stays.drop(columns="discharge_destination")


def ukp_periods(stays: pd.DataFrame, periods: pd.DataFrame,
                cutoff: pd.Timestamp) -> pd.DataFrame:
    """A stay's periods: the periods file when it lists the stay, else its ready_at until
    discharge. A period ends at its withdrawal, discharge or the cut-off."""
    implied = stays.loc[stays["ready_at"].notna() & ~stays["stay_id"].isin(periods["stay_id"]),
                        ["stay_id", "ready_at"]].rename(columns={"ready_at": "ready_from"})
    declared = pd.concat([periods[["stay_id", "ready_from", "ready_to"]], implied])
    declared = declared[declared["ready_from"] <= cutoff].merge(
        stays[["stay_id", "discharged_at"]], on="stay_id")
    end = declared["ready_to"].fillna(cutoff).clip(upper=cutoff)
    declared["end_at"] = end.where(~(declared["discharged_at"] < end), declared["discharged_at"])
    return declared[["stay_id", "ready_from", "end_at"]]


def ukp_days(periods: pd.DataFrame) -> pd.DataFrame:
    """One row per night in hospital while ready (stay_id, day); overlapping periods count
    a day once."""
    first = periods["ready_from"].dt.normalize()
    nights = (periods["end_at"].dt.normalize() - first).dt.days.clip(lower=0).to_numpy()
    offset = np.arange(nights.sum()) - np.repeat(np.cumsum(nights) - nights, nights)
    days = pd.DataFrame({
        "stay_id": np.repeat(periods["stay_id"].to_numpy(), nights),
        "day": np.repeat(first.to_numpy(), nights) + pd.to_timedelta(offset, unit="D"),
    })
    return days.drop_duplicates()


def readmitted(ukp: pd.DataFrame, stays: pd.DataFrame) -> pd.Series:
    """KPI 5: discharged alive, and an acute admission of the same patient (any sector)
    more than 8 hours and at most 720 hours later."""
    alive = ukp.loc[ukp["alive"], ["stay_id", "patient_id", "discharged_at"]]
    acute = stays.loc[stays["admission_type"] == "akutt", ["patient_id", "admitted_at"]]
    pairs = alive.merge(acute, on="patient_id")
    gap = pairs["admitted_at"] - pairs["discharged_at"]
    hit = (gap > pd.Timedelta(hours=8)) & (gap <= pd.Timedelta(hours=720))
    return ukp["stay_id"].isin(pairs.loc[hit, "stay_id"])


def month_of(moments: pd.Series) -> pd.Series:
    return moments.dt.to_period("M")


def facts(stays: pd.DataFrame, periods: pd.DataFrame,
          cutoff: pd.Timestamp) -> pd.DataFrame:
    """Numerator and denominator per month x municipality x sector x KPI 1-5."""
    days = ukp_days(periods)
    ukp = stays[stays["stay_id"].isin(periods["stay_id"])].copy()
    ukp["ukp_days"] = ukp["stay_id"].map(days["stay_id"].value_counts()).fillna(0)
    ukp["alive"] = ukp["destination"].notna() & (ukp["destination"] != DEATH)

    days = days.merge(ukp[["stay_id", "municipality", "sector"]], on="stay_id")
    kpi1 = (days.assign(month=month_of(days["day"]))
            .groupby(["month", "municipality", "sector"]).size().rename("num").reset_index()
            .assign(kpi=1, den=np.nan))

    ended = ukp[ukp["discharged_at"].notna()].copy()
    ended["month"] = month_of(ended["discharged_at"])
    ended["zero"] = ended["ukp_days"] == 0
    ended["home"] = ended["destination"].isin(HOME)
    ended["readmitted"] = readmitted(ended, stays)
    by = ended.groupby(["month", "municipality", "sector"]).agg(
        stays=("stay_id", "size"), zero=("zero", "sum"), days=("ukp_days", "sum"),
        alive=("alive", "sum"), home=("home", "sum"), readmitted=("readmitted", "sum"),
    ).reset_index()
    ratios = [by.assign(kpi=kpi, num=by[num], den=by[den])
              for kpi, num, den in ((2, "zero", "stays"), (3, "days", "stays"),
                                    (4, "home", "alive"), (5, "readmitted", "alive"))]
    columns = ["month", "municipality", "sector", "kpi", "num", "den"]
    return pd.concat([kpi1[columns]] + [r[columns] for r in ratios])


def short_facts(data: Path, cutoff: pd.Timestamp) -> tuple[pd.DataFrame, pd.Timestamp]:
    """KPI 6 per month ended x municipality x unit, and the first start by the cut-off."""
    short = read(data / "short_stays.csv", ["municipality", "unit", "started_at", "ended_at"])
    short = short[short["started_at"] <= cutoff]
    ended = short[short["ended_at"] <= cutoff]
    length = (ended["ended_at"].dt.normalize() - ended["started_at"].dt.normalize()).dt.days
    fact = (ended.assign(month=month_of(ended["ended_at"]), num=length)
            .groupby(["month", "municipality", "unit"])
            .agg(num=("num", "sum"), den=("num", "size")).reset_index())
    return fact, short["started_at"].min()


def members(reference: Path) -> pd.DataFrame:
    """Each municipality is its own group, part of its region and of the community."""
    m = pd.read_csv(reference / "municipalities.csv", dtype={"kommunenummer": "str"})
    code = m["kommunenummer"]
    return pd.concat([
        pd.DataFrame({"municipality": code, "group_type": "municipality", "group_id": code}),
        pd.DataFrame({"municipality": code, "group_type": "region", "group_id": m["region"]}),
        pd.DataFrame({"municipality": code, "group_type": "community", "group_id": "all"}),
    ])


def grid(months: pd.PeriodIndex, groups: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Every reported cell: KPIs 1-5 for every group and sector, KPI 6 for every group and
    short-term unit (sector alle)."""
    month = pd.DataFrame({"month": months})
    sectors = pd.DataFrame({"sector": ["somatikk", "psykisk_helsevern", "alle"]})
    kpis = pd.DataFrame({"kpi": [1, 2, 3, 4, 5]})
    ratios = month.merge(groups, how="cross").merge(sectors, how="cross").merge(
        kpis, how="cross")
    unit_groups = pd.concat([groups, pd.DataFrame({"group_type": "unit", "group_id": units})])
    short = month.merge(unit_groups, how="cross").assign(sector="alle", kpi=6)
    return pd.concat([ratios, short], ignore_index=True)


def cells(fact: pd.DataFrame, short: pd.DataFrame, member: pd.DataFrame,
          units: pd.Series, months: pd.PeriodIndex) -> pd.DataFrame:
    rolled = pd.concat([
        fact.merge(member, on="municipality").merge(SECTOR_GROUPS, on="sector")
        .drop(columns="sector").rename(columns={"sector_group": "sector"}),
        short.merge(member, on="municipality").assign(sector="alle", kpi=6),
        short.assign(group_type="unit", group_id=short["unit"], sector="alle", kpi=6),
    ]).groupby(["month"] + KEYS)[["num", "den"]].sum(min_count=1).reset_index()
    groups = member[["group_type", "group_id"]].drop_duplicates()
    table = grid(months, groups, units).merge(rolled, on=["month"] + KEYS, how="left")
    table["num"] = table["num"].fillna(0)
    table["den"] = table["den"].fillna(0).where(table["kpi"] != 1)
    return table


def rolling_12(table: pd.DataFrame) -> pd.DataFrame:
    """Sums over the 12 months ending with each month; none while fewer months exist."""
    table = table.sort_values(KEYS + ["month"], ignore_index=True)
    window = table.groupby(KEYS)[["num", "den"]].rolling(12, min_periods=12).sum()
    table[["num_12m", "den_12m"]] = window.droplevel(list(range(len(KEYS))))
    return table


def value(kpi: pd.Series, num: pd.Series, den: pd.Series) -> pd.Series:
    """KPI 1 the count; shares in percent with one decimal, means with two, rounded half up
    (integer arithmetic, so exact); an empty denominator is no value."""
    den = den.where(den != 0)
    share = np.floor((2000 * num + den) / (2 * den)) / 10
    mean = np.floor((200 * num + den) / (2 * den)) / 100
    return num.where(kpi == 1, share.where(kpi.isin([2, 4, 5]), mean))


def run(data: Path, cutoff: datetime, output: Path, reference: Path = DEFAULT_REFERENCE,
        ) -> None:
    cut = pd.Timestamp(cutoff)
    stays = load_stays(data, cut)
    periods = ukp_periods(stays, read(data / "ukp_periods.csv",
                                      ["stay_id", "ready_from", "ready_to"]), cut)
    fact = facts(stays, periods, cut)
    short, first_short = short_facts(data, cut)
    first = min(t for t in (stays["admitted_at"].min(), first_short) if pd.notna(t))
    months = pd.period_range(first.to_period("M"), cut.to_period("M"), freq="M")
    units = pd.read_csv(reference / "units.csv").query("kind == 'short_term'")["unit"]
    table = rolling_12(cells(fact, short, members(reference), units, months))

    out = pd.DataFrame({
        "month": table["month"].dt.strftime("%Y-%m"),
        "group_type": table["group_type"], "group_id": table["group_id"],
        "sector": table["sector"], "kpi": table["kpi"],
        "value": value(table["kpi"], table["num"], table["den"]),
        "numerator": table["num"].astype("Int64"), "denominator": table["den"].astype("Int64"),
        "preliminary": (table["kpi"] == 5)
        & (cut < (table["month"] + 1).dt.start_time + pd.Timedelta(days=30)),
        "value_12m": value(table["kpi"], table["num_12m"], table["den_12m"]),
        "numerator_12m": table["num_12m"].astype("Int64"),
        "denominator_12m": table["den_12m"].astype("Int64"),
    }).sort_values(["month", "kpi", "group_type", "group_id", "sector"])
    out["preliminary"] = out["preliminary"].map({True: "true", False: "false"})
    if output.suffix == ".parquet":
        out.to_parquet(output, index=False)
    else:
        out.to_csv(output, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder with stays.csv, ukp_periods.csv, "
                        "short_stays.csv (flyt generate --output).")
    parser.add_argument("--cutoff", type=datetime.fromisoformat, required=True,
                        help="Data as of this moment (a date = 00:00).")
    parser.add_argument("--output", type=Path, required=True, help="CSV or .parquet file.")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="Folder with municipalities.csv and units.csv.")
    args = parser.parse_args()
    run(args.data, args.cutoff, args.output, args.reference)


if __name__ == "__main__":
    main()
