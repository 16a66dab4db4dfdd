"""Time arithmetic for the demo generator, vectorised.

Moments are int64 minutes since 1970-01-01 00:00 local wall-clock time (the
canonical files carry local times without zone, so no DST arithmetic is needed);
days are int64 day numbers since 1970-01-01.
"""

from __future__ import annotations

from datetime import date

import numpy as np

MINUTES_PER_DAY = 1440
NONE = np.iinfo(np.int64).min  # "no moment" (empty cell) in minute arrays
_EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    return (d - _EPOCH).days


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    la = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * la) // 451
    month = (h + la - 7 * m + 114) // 31
    day = (h + la - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def years_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def months_of(days: np.ndarray) -> np.ndarray:
    """Calendar month 1..12 of each day."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def weekdays_of(days: np.ndarray) -> np.ndarray:
    """Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def sample_days(
    rng: np.random.Generator, weights: np.ndarray, first_day: int, n: int, *, stratified: bool
) -> np.ndarray:
    """n day numbers drawn with the given per-day weights (weights[0] is first_day).

    Stratified draws take one uniform from each of n equal slices of [0, 1): the
    number of events in any period then follows its weight almost exactly, which
    keeps the calibrated yearly totals from wobbling between seeds.
    """
    cum = np.cumsum(weights, dtype=np.float64)
    cum /= cum[-1]
    if stratified:
        u = (np.arange(n) + rng.random(n)) / max(n, 1)
    else:
        u = rng.random(n)
    idx = np.searchsorted(cum, u, side="right")
    return first_day + np.minimum(idx, len(weights) - 1)


def sample_minutes_of_day(
    rng: np.random.Generator, hour_weights: np.ndarray, n: int
) -> np.ndarray:
    """Minute of day (0..1439) with the given weight per hour 0..23."""
    p = np.asarray(hour_weights, dtype=np.float64)
    cum = np.cumsum(p) / p.sum()
    hours = np.minimum(np.searchsorted(cum, rng.random(n), side="right"), 23)
    return hours * 60 + rng.integers(0, 60, n)


_GOLDEN = (np.sqrt(5.0) - 1) / 2


def stratified_uniforms(rng: np.random.Generator, groups: np.ndarray, *,
                        spread: bool = False) -> np.ndarray:
    """Uniforms in [0, 1), stratified within each group.

    A group of n items holds exactly one value in each of the n equal slices of
    [0, 1), in random order; with `spread` (items taken to be in time order) the
    slices are dealt out along the group with a golden-ratio sequence (random
    start) instead, so that the largest values are spread evenly over the
    group's time span. Use `spread` for one draw only: two spread draws of the
    same groups would be correlated.

    Grouping UKP stays by the year they were declared ready makes each year see
    the full wait distribution; spreading keeps a year end from collecting the
    long waits of the tail by chance. Yearly totals then hardly move by seed.
    """
    n = len(groups)
    idx = np.arange(n)
    order = np.lexsort((idx, groups))  # by group, in time order within the group
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, n])
    rank = idx - np.repeat(starts, sizes)  # 0 = largest value
    if spread:
        key = (rank * _GOLDEN + np.repeat(rng.random(len(starts)), sizes)) % 1.0
    else:
        key = rng.random(n)
    dealt = rank[np.lexsort((key, g))]  # rank dealt to each position of the group
    size = np.repeat(sizes, sizes)
    u = np.empty(n)
    u[order] = (size - 1 - dealt + rng.random(n)) / size
    return u


def categorical(rng: np.random.Generator, probs: np.ndarray | list[float], n: int,
                u: np.ndarray | None = None) -> np.ndarray:
    """n draws of category indices with fixed probabilities (from u if given)."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    cum /= cum[-1]
    if u is None:
        u = rng.random(n)
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)


def categorical_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of an (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1)
