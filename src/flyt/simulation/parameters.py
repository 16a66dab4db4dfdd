"""The model's parameters from a calibration: arrays by municipality (and destination)
for the vectorised model (flyt.simulation.model). docs/simulation.md ("The model") says
what each is estimated from and what is assumed where the data is silent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from flyt.domain.codes import DISCHARGE_DESTINATIONS
from flyt.simulation.calibration import Calibration
from flyt.simulation.pools import Pool

SHORT_TERM_DESTINATION = "korttidsopphold"
MIN_CELL = 30  # positive waits of a municipality and destination before its own are used
ZERO_PRIOR = 20  # stays of the community's share of 0-day waits in a municipality's
WAIT_MONTH_PRIOR = 200  # stays, shrinking a month's wait factor to 1
BLOCK_DAYS = 365  # the years of the window, counted back from the cut-off
MIN_SD = 0.03  # a level is never known better than this (log scale)
# A year-to-year change of 10 % (log scale), weighed as two years of evidence: two or
# three years of history cannot tell a stable level from luck, so the observed changes
# are pooled with this prior (and a window of one year has the prior alone).
PRIOR_SD = 0.10
PRIOR_YEARS = 2
MAX_SD = 1.0


@dataclass(frozen=True)
class Parameters:
    """Everything the model draws from, indexed by municipality m (the order of
    ``municipalities``), destination d (``destinations``) and short-term unit u."""

    before: date  # the calibration's cut-off: the first day the model may simulate
    municipalities: tuple[str, ...]
    destinations: tuple[str, ...]
    short_term: int  # index of the short-term destination
    rate: np.ndarray  # [M] stays ready a day at the current level
    weekday: np.ndarray  # [M, 7]
    month: np.ndarray  # [M, 12]
    level_sd: float  # community's year-to-year change of the readiness level (log)
    level_sd_m: np.ndarray  # [M] a municipality's share's, besides the community's
    shares: np.ndarray  # [M, D] destination shares
    zero: np.ndarray  # [M, D] share of stays with 0 UKP days
    waits: Pool  # positive UKP days, group m * D + d
    wait_level: float  # the last year's mean wait over the window's
    wait_month: np.ndarray  # [12] by the month a stay became ready
    wait_sd: float  # community's year-to-year change of the mean wait (log)
    wait_sd_m: np.ndarray  # [M]
    zero_sd: float  # community's year-to-year change of the 0-day share (logit scale)
    units: tuple[str, ...]  # short-term units
    unit_owner: np.ndarray  # [U] the municipality of each (-1: not one of the reference's)
    beds: np.ndarray  # [M] beds the stays the store knows can use
    home_rate: np.ndarray  # [M] short-term admissions a day besides UKP patients
    lengths: Pool  # length of a short-term stay (KPI 6 days), group m, tag u
    open_m: np.ndarray  # UKP patients waiting at the cut-off: municipality
    open_waited: np.ndarray  # and the days they have waited
    short_m: np.ndarray  # short-term stays under way at the cut-off: owner municipality
    short_unit: np.ndarray  # their unit
    short_elapsed: np.ndarray  # and the days they have lasted
    rates: dict[int, Decimal]  # payment day rate per year


def from_calibration(c: Calibration) -> Parameters:
    municipalities = tuple(str(m) for m in c.readiness.columns)
    index = {m: i for i, m in enumerate(municipalities)}
    destinations = DISCHARGE_DESTINATIONS
    units = tuple(str(u) for u in c.units["name"])
    unit_index = {u: i for i, u in enumerate(units)}
    owner = np.array([index.get(str(o), -1) for o in c.units["owner"]], dtype=np.int64)
    blocks = _blocks(c.readiness, c.before)
    level = blocks[0].sum() / BLOCK_DAYS / max(c.readiness.sum(axis=1).mean(), 1e-9) \
        if len(blocks) else 1.0
    wait_blocks = _wait_blocks(c.stays, c.before, municipalities)
    short = c.short_stays
    known_units = short["unit"].map(unit_index).notna()
    lengths = _lengths(short[known_units & short["ended"]], unit_index, owner,
                       len(municipalities))
    under_way = c.short_open[c.short_open["unit"].isin(unit_index)]
    short_unit = under_way["unit"].map(unit_index).to_numpy(dtype=np.int64)
    owned = owner[short_unit] >= 0
    return Parameters(
        before=c.before, municipalities=municipalities, destinations=destinations,
        short_term=destinations.index(SHORT_TERM_DESTINATION),
        rate=c.readiness_base.reindex(municipalities).fillna(0).to_numpy() * level,
        weekday=c.weekday_factors[list(municipalities)].to_numpy().T,
        month=c.month_factors[list(municipalities)].to_numpy().T,
        level_sd=_community_sd(blocks.sum(axis=1) if len(blocks) else np.array([])),
        level_sd_m=_share_sd(blocks),
        shares=c.destination_shares.reindex(index=list(municipalities),
                                            columns=list(destinations)).fillna(0).to_numpy(),
        zero=_zero_shares(c.stays, municipalities, destinations),
        waits=_wait_pool(c.stays, municipalities, destinations),
        wait_level=_wait_level(c.stays, c.before),
        wait_month=_wait_month(c.stays),
        wait_sd=_community_sd(wait_blocks[0]) if wait_blocks is not None else PRIOR_SD,
        wait_sd_m=(_relative_sd(wait_blocks[1], wait_blocks[0]) if wait_blocks is not None
                   else np.full(len(municipalities), PRIOR_SD)),
        zero_sd=_zero_sd(c.stays, c.before),
        units=units, unit_owner=owner,
        beds=_beds(c, owner, unit_index, len(municipalities)),
        home_rate=_home_rate(c, index),
        lengths=lengths,
        open_m=c.open_stays["municipality"].map(index).to_numpy(dtype=np.int64),
        open_waited=c.open_stays["waited"].to_numpy(dtype=np.int64),
        short_m=owner[short_unit][owned], short_unit=short_unit[owned],
        short_elapsed=under_way["days"].to_numpy(dtype=np.int64)[owned],
        rates=dict(c.rates),
    )


def _year_back(days: pd.Series | pd.Index, before: date) -> np.ndarray:
    """Which whole year counted back from the cut-off each day is in: 0 for the 365 days
    before it, 1 for the 365 before those, ..."""
    gap = pd.Timestamp(before) - pd.to_datetime(days)
    return (np.asarray(getattr(gap, "dt", gap).days) - 1) // BLOCK_DAYS


def _blocks(readiness: pd.DataFrame, before: date) -> np.ndarray:
    """Stays ready per whole year counted back from the cut-off: [years, M], newest first."""
    back = _year_back(readiness.index, before)
    whole = int((before - readiness.index[0].date()).days // BLOCK_DAYS)
    values = readiness.to_numpy()
    return np.array([values[back == b].sum(axis=0) for b in range(whole)])


def _rms_log_ratio(series: np.ndarray) -> float:
    """Root mean square of the log change from one year to the next (a random walk's
    step: trend and noise both count as what the next year may bring), pooled with the
    prior."""
    logs = np.log(np.asarray(series, dtype=float) + 0.5)
    steps = np.diff(logs)
    return float(np.sqrt((np.sum(steps ** 2) + PRIOR_YEARS * PRIOR_SD ** 2)
                         / (len(steps) + PRIOR_YEARS)))


def _community_sd(series: np.ndarray) -> float:
    return float(np.clip(_rms_log_ratio(series), MIN_SD, MAX_SD))


def _share_sd(blocks: np.ndarray) -> np.ndarray:
    """Each municipality's share of the community's readiness, year to year."""
    if len(blocks) < 2:
        return np.full(blocks.shape[1] if blocks.ndim == 2 else 0, PRIOR_SD)
    return _relative_sd(blocks, blocks.sum(axis=1))


def _relative_sd(per_municipality: np.ndarray, community: np.ndarray) -> np.ndarray:
    shares = (per_municipality + 0.5) / (community[:, None] + 0.5)
    steps = np.diff(np.log(shares), axis=0)
    pooled = (np.sum(steps ** 2, axis=0) + PRIOR_YEARS * PRIOR_SD ** 2) \
        / (len(steps) + PRIOR_YEARS)
    return np.clip(np.sqrt(pooled), 0.0, MAX_SD)


def _wait_blocks(stays: pd.DataFrame, before: date, municipalities: tuple[str, ...]
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """Mean UKP days per stay by year counted back (community [years], and per
    municipality [years, M] where a year without stays takes the community's)."""
    back = _year_back(stays["ready_day"], before)
    years = sorted(set(back.tolist()))
    if len(years) < 2:
        return None
    frame = stays.assign(block=back)
    community = frame.groupby("block")["ukp_days"].mean().reindex(years).to_numpy()
    own = (frame.groupby(["block", "municipality"])["ukp_days"].mean().unstack()
           .reindex(index=years, columns=list(municipalities)))
    filled = own.apply(lambda col: col.fillna(pd.Series(community, index=years)))
    return community, filled.to_numpy()


def _zero_sd(stays: pd.DataFrame, before: date) -> float:
    """The year-to-year change of the share with 0 UKP days, on the logit scale."""
    back = _year_back(stays["ready_day"], before)
    zero = (stays["ukp_days"] == 0).groupby(back).agg(["sum", "size"]).sort_index()
    share = (zero["sum"].to_numpy() + 0.5) / (zero["size"].to_numpy() + 1.0)
    steps = np.diff(np.log(share / (1 - share)))
    return float(np.clip(np.sqrt((np.sum(steps ** 2) + PRIOR_YEARS * PRIOR_SD ** 2)
                                 / (len(steps) + PRIOR_YEARS)), MIN_SD, MAX_SD))


def _zero_shares(stays: pd.DataFrame, municipalities: tuple[str, ...],
                 destinations: tuple[str, ...]) -> np.ndarray:
    zero = stays.assign(z=stays["ukp_days"] == 0)
    community = zero.groupby("destination")["z"].mean().reindex(list(destinations)).fillna(1)
    counts = zero.groupby(["municipality", "destination"])["z"].agg(["sum", "size"])
    n = counts["size"].unstack().reindex(index=list(municipalities),
                                         columns=list(destinations)).fillna(0)
    k = counts["sum"].unstack().reindex(index=list(municipalities),
                                        columns=list(destinations)).fillna(0)
    return ((k + ZERO_PRIOR * community) / (n + ZERO_PRIOR)).to_numpy(dtype=float)


def _wait_pool(stays: pd.DataFrame, municipalities: tuple[str, ...],
               destinations: tuple[str, ...]) -> Pool:
    """Positive UKP days per (municipality, destination); a cell with fewer than MIN_CELL
    takes the community's for the destination, and a destination never seen the
    community's of every destination."""
    positive = stays[stays["ukp_days"] > 0]
    every = positive["ukp_days"].to_numpy() if len(positive) else np.array([1])
    by_destination = {d: g["ukp_days"].to_numpy()
                      for d, g in positive.groupby("destination")}
    by_cell = {key: g["ukp_days"].to_numpy()
               for key, g in positive.groupby(["municipality", "destination"])}
    groups = []
    for m in municipalities:
        for d in destinations:
            own = by_cell.get((m, d), np.array([]))
            pooled = by_destination.get(d, np.array([]))
            groups.append(own if len(own) >= MIN_CELL
                          else pooled if len(pooled) >= MIN_CELL else every)
    return Pool.of(groups)


def _wait_level(stays: pd.DataFrame, before: date) -> float:
    """The last year's mean UKP days over the window's (the current level)."""
    last = stays[_year_back(stays["ready_day"], before) == 0]
    whole = stays["ukp_days"].mean()
    if len(last) < MIN_CELL or not whole:
        return 1.0
    return float(last["ukp_days"].mean() / whole)


def _wait_month(stays: pd.DataFrame) -> np.ndarray:
    months = pd.Series(pd.to_datetime(stays["ready_day"]).dt.month.to_numpy(),
                       index=stays.index)
    grouped = stays["ukp_days"].groupby(months)
    overall = stays["ukp_days"].mean() or 1.0
    raw = (grouped.mean() / overall).reindex(range(1, 13)).fillna(1.0)
    n = grouped.size().reindex(range(1, 13)).fillna(0)
    w = n / (n + WAIT_MONTH_PRIOR)
    return (w * raw + (1 - w)).to_numpy(dtype=float)


def _lengths(ended: pd.DataFrame, unit_index: dict[str, int], owner: np.ndarray,
             municipalities: int) -> Pool:
    """Lengths of the ended short-term stays by the unit's municipality; a municipality
    without any takes every unit's."""
    unit = ended["unit"].map(unit_index).to_numpy(dtype=np.int64)
    days = ended["days"].to_numpy(dtype=np.int64)
    m_of = owner[unit] if len(unit) else np.array([], dtype=np.int64)
    every_days = days if len(days) else np.array([14])
    every_unit = unit if len(unit) else np.array([0])
    groups, tags = [], []
    for m in range(municipalities):
        here = m_of == m
        groups.append(days[here] if here.any() else every_days)
        tags.append(unit[here] if here.any() else every_unit)
    return Pool.of(groups, tags)


def _occupancy(c: Calibration, owner: np.ndarray, unit_index: dict[str, int],
               municipalities: int, days: list[date]) -> np.ndarray:
    """Beds taken by the stays the store knows, per municipality and day [M, days]."""
    stays = pd.concat([c.short_stays, c.short_open]).drop_duplicates()
    stays = stays[stays["unit"].isin(unit_index)]
    first = days[0]
    start = (pd.to_datetime(stays["start_day"]) - pd.Timestamp(first)).dt.days.to_numpy(
        dtype=np.int64)
    length = np.maximum(stays["days"].to_numpy(dtype=np.int64), 1)
    length = np.where(stays["ended"].to_numpy(dtype=bool), length, 10**6)  # under way
    m = owner[stays["unit"].map(unit_index).to_numpy(dtype=np.int64)]
    span = len(days)
    change = np.zeros((municipalities, span + 1))
    keep = m >= 0
    np.add.at(change, (m[keep], np.clip(start[keep], 0, span)), 1)
    np.add.at(change, (m[keep], np.clip(start[keep] + length[keep], 0, span)), -1)
    return np.cumsum(change, axis=1)[:, :span]


def _beds(c: Calibration, owner: np.ndarray, unit_index: dict[str, int],
          municipalities: int) -> np.ndarray:
    """The beds the stays the store knows can use: the units' beds less the residents
    the store has no stay for (the census' occupied beds over the known stays, the last
    year's mean), and never fewer than the most the known stays were seen to use."""
    days = [c.before - timedelta(days=k) for k in range(BLOCK_DAYS, 0, -1)]
    known = _occupancy(c, owner, unit_index, municipalities, days)
    beds = np.zeros(municipalities)
    np.add.at(beds, owner[owner >= 0], c.units["beds"].to_numpy(dtype=float)[owner >= 0])
    others = np.zeros(municipalities)
    census = c.census[c.census["unit"].isin(unit_index)]
    if len(census):
        per_day = census.assign(m=owner[census["unit"].map(unit_index).to_numpy()]) \
            .groupby(["m", "day"])["occupied"].sum()
        where = {d: i for i, d in enumerate(days)}
        rows = [(m, where[d], occupied) for (m, d), occupied in per_day.items()
                if d in where and m >= 0]
        if rows:
            m_i, d_i, occupied = (np.array(x) for x in zip(*rows, strict=True))
            excess = pd.Series(occupied - known[m_i, d_i]).groupby(m_i).mean()
            others[excess.index.to_numpy()] = np.maximum(excess.to_numpy(), 0)
    return np.maximum(np.round(beds - others), known.max(axis=1)).astype(np.int64)


def _home_rate(c: Calibration, index: dict[str, int]) -> np.ndarray:
    """Short-term stays begun in the window a day, less the UKP patients discharged to
    one: the admissions from home (and other routes) that share the beds."""
    days = max((c.before - c.first).days, 1)
    started = c.short_stays.groupby("municipality").size()
    from_ukp = c.stays[c.stays["destination"] == SHORT_TERM_DESTINATION] \
        .groupby("municipality").size()
    rate = np.zeros(len(index))
    for m, i in index.items():
        rate[i] = max(int(started.get(m, 0)) - int(from_ukp.get(m, 0)), 0) / days
    return rate
