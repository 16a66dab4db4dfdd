"""The calibration knobs of the demo data: trends, seasons, waits, municipalities.

Facts from seed 002 (St. Olavs hospital's input to the national health and
collaboration plan): prognosis 2022 = 11 588 UKP days (32 beds a day), +15 %
on the peak year 2021, a doubling since 2019; in somatics 13 % of the patients
wait more than 8 days and hold over half of the UKP days; in mental health
about 5 % wait more than 18 days and hold over half of the days. The years
after 2023 are invented: the measures of the health community start to work.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from flyt.demo.timeline import day_number, easter_sunday, weekdays_of, years_of

# UKP days at the hospital per calendar year, all sectors (2022: seed 002).
UKP_DAYS_BY_YEAR = {
    2019: 5800,
    2020: 8100,
    2021: 10077,  # 11 588 / 1.15
    2022: 11588,
    2023: 11500,
    2024: 9000,
    2025: 6500,
    2026: 5000,
    2027: 4500,
}
CALIBRATION_YEAR = 2022

# How a change in UKP days splits into more patients (count) and longer waits:
# seed 002 says the growth comes mostly from longer waits, partly from more patients.
COUNT_ELASTICITY = 0.35
SEASON_COUNT_SHARE = 0.5  # seasonal peaks: half more patients, half longer waits

MENTAL_HEALTH_SHARE_OF_UKP = 0.11
# UKP stays a day in 2022 at the default size; tuned so that the generated data
# land on 11 588 days (the mean wait follows from the distributions below).
UKP_STAYS_PER_DAY_2022 = 6.62

# Hospital registrations and municipal pick-ups follow the working week.
READY_WEEKDAY = np.array([1.15, 1.12, 1.1, 1.1, 1.08, 0.6, 0.45])


def _year_target(year: int) -> float:
    lo, hi = min(UKP_DAYS_BY_YEAR), max(UKP_DAYS_BY_YEAR)
    return float(UKP_DAYS_BY_YEAR[min(max(year, lo), hi)])


def ukp_level(days: np.ndarray) -> np.ndarray:
    """UKP pressure relative to the calibration year, blended over ±30 days at new year."""
    years = years_of(days)
    out = np.empty(len(days))
    base = _year_target(CALIBRATION_YEAR)
    for y in np.unique(years):
        sel = years == y
        t_prev, t_here, t_next = (_year_target(int(y) + k) for k in (-1, 0, 1))
        doy = days[sel] - day_number(date(int(y), 1, 1))
        left = day_number(date(int(y) + 1, 1, 1)) - days[sel]
        val = np.full(doy.shape, t_here)
        head = doy < 30
        val[head] = (t_prev + t_here) / 2 + (t_here - t_prev) / 2 * doy[head] / 30
        tail = left <= 30
        val[tail] = (t_next + t_here) / 2 + (t_here - t_next) / 2 * (left[tail] - 1) / 30
        out[sel] = val / base
    return out


def _windows(years: range) -> dict[str, list[tuple[int, int]]]:
    """Seasonal windows [first, last] as day numbers, by name."""
    w: dict[str, list[tuple[int, int]]] = {"flu": [], "summer": [], "christmas": [], "easter": []}
    for y in years:
        w["flu"].append((day_number(date(y, 1, 1)), day_number(date(y, 2, 28))))
        w["summer"].append((day_number(date(y, 6, 26)), day_number(date(y, 8, 5))))
        w["christmas"].append((day_number(date(y, 12, 18)), day_number(date(y + 1, 1, 2))))
        easter = day_number(easter_sunday(y))
        w["easter"].append((easter - 8, easter + 1))  # Saturday before Palm Sunday .. Monday
    return w


def _bumps(days: np.ndarray, sizes: dict[str, float]) -> np.ndarray:
    years = years_of(days)
    w = _windows(range(int(years.min()) - 1, int(years.max()) + 1))
    out = np.ones(len(days))
    for name, size in sizes.items():
        for first, last in w[name]:
            out[(days >= first) & (days <= last)] += size
    return out


UKP_SEASON = {"flu": 0.28, "summer": 0.38, "christmas": 0.40, "easter": 0.35}


def ukp_season(days: np.ndarray) -> np.ndarray:
    """Seasonal UKP pressure by ready date, mean 1 within each calendar year.

    Peaks: influenza winter, Easter and summer holidays (municipal services
    short-staffed), Christmas.
    """
    s = _bumps(days, UKP_SEASON)
    # normalise on whole calendar years so a partial window keeps its shape
    years = years_of(days)
    for y in np.unique(years):
        full = np.arange(day_number(date(int(y), 1, 1)), day_number(date(int(y) + 1, 1, 1)))
        s[years == y] /= _bumps(full, UKP_SEASON).mean()
    return s


def admission_weights(days: np.ndarray, acute: bool) -> np.ndarray:
    """Relative admissions per day: acute follow flu season, planned the working calendar."""
    wd = weekdays_of(days)
    if acute:
        s = _bumps(days, {"flu": 0.12, "summer": -0.06, "christmas": 0.05})
        return s * np.array([1.12, 1.04, 1.0, 0.99, 1.0, 0.92, 0.93])[wd]
    s = _bumps(days, {"summer": -0.6, "christmas": -0.7, "easter": -0.5})
    return np.clip(s, 0.05, None) * np.array([1.2, 1.15, 1.1, 1.05, 0.9, 0.03, 0.02])[wd]


# --- waits (UKP days) in the calibration year, as quantile functions ---------
# Somatics: 30 % null-døgnsliggere, a body of 1–8 days, 13 % tail beyond 8 days.
SOMATIC = {"p0": 0.31, "tail": 0.13, "limit": 8, "body_scale": 3.0, "shape": 2.2,
           "tail_scale": 16.0, "cap": 240}
# Mental health: 5 % beyond 18 days holding over half of the days.
MENTAL = {"p0": 0.24, "tail": 0.05, "limit": 18, "body_scale": 4.0, "shape": 2.0,
          "tail_scale": 140.0, "cap": 365}


def wait_quantile(u: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Continuous wait in days at w = 1 (rounded later), for uniforms u in [0, 1)."""
    p0, tail, limit = p["p0"], p["tail"], p["limit"]
    x = np.zeros(len(u))
    body = (u >= p0) & (u < 1 - tail)
    q = (u[body] - p0) / (1 - tail - p0)
    lo, hi, s = 0.5, limit + 0.5, p["body_scale"]
    x[body] = lo - s * np.log1p(-q * (1 - np.exp(-(hi - lo) / s)))  # truncated exponential
    t = u >= 1 - tail
    q = (u[t] - (1 - tail)) / tail
    lomax = p["tail_scale"] * ((1 - q) ** (-1 / p["shape"]) - 1)
    x[t] = np.minimum(limit + 0.5 + lomax, p["cap"])
    return x


# --- municipalities -----------------------------------------------------------
# (UKP patients per inhabitant relative to the mean, wait multiplier): invented
# so that municipalities differ; rural ones have older populations, some have
# longer waits (few short-term beds), some are quick.
MUNICIPALITY_PROFILE = {
    "5001": (0.95, 1.10), "5031": (0.9, 0.70), "5028": (1.0, 0.90), "5029": (0.9, 0.80),
    "5027": (1.15, 1.35), "5057": (1.1, 1.25), "5054": (1.1, 1.00), "5058": (1.2, 1.45),
    "5020": (1.3, 1.00), "5059": (1.05, 0.60), "5055": (1.15, 0.90), "5056": (1.2, 1.30),
    "5014": (1.1, 1.55), "5061": (1.25, 0.80), "5021": (1.1, 0.70), "5022": (1.25, 1.00),
    "5032": (1.15, 1.20), "5033": (1.3, 1.00), "5025": (1.15, 0.60), "5026": (1.25, 1.10),
}


def municipality_weights(codes: list[str], population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probability of a UKP stay coming from each municipality, wait multiplier).

    Wait multipliers are normalised so that their UKP-weighted mean is 1.
    """
    rate = np.array([MUNICIPALITY_PROFILE.get(c, (1.0, 1.0))[0] for c in codes])
    mult = np.array([MUNICIPALITY_PROFILE.get(c, (1.0, 1.0))[1] for c in codes])
    w = population * rate
    w = w / w.sum()
    return w, mult / float((w * mult).sum())
