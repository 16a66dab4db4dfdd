"""Escalation levels: the pure rules (docs/capacity.md, "Escalation levels").

Levels 1 normal, 2 moderat press, 3 høyt press, 4 kritisk (in the spirit of England's
OPEL 1–4), for the community (``all``) and each municipality. Each indicator has three
thresholds, those of levels 2, 3 and 4; it reaches a level when its value is *at or
above* that level's threshold. A group's level is the highest any of its indicators
reaches. An indicator without data (no beds, too little history) is left out, never
counted as 0; a group without any indicator has no level.

- ``ukp_vs_normal``: the 08:00 census of UKP patients / the forecast's normal for the
  day (its season, weekday, holidays);
- ``forecast_peak_7d``: the highest forecast mean of the next 7 days / the normal of
  that day;
- ``aftercare_occupancy``, ``short_term_occupancy``: occupied / available beds in %.

Small counts: a ratio indicator reaches a level only when the patients above the normal
are also at least ``min_excess`` (default 2): one patient against a normal of 0,4 is a
ratio of 2,5 but not a crisis. A normal below ``NORMAL_FLOOR`` is taken as that floor,
so that the ratio stays finite where the normal is (nearly) 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from flyt.capacity.escalation_settings import EscalationSettings, Thresholds

LEVELS = (1, 2, 3, 4)
LEVEL_KEYS = {1: "esc_level_1", 2: "esc_level_2", 3: "esc_level_3", 4: "esc_level_4"}
INDICATORS = ("ukp_vs_normal", "aftercare_occupancy", "short_term_occupancy",
              "forecast_peak_7d")
NORMAL_FLOOR = 0.5  # patients; the forecast's own offset for days with 0


@dataclass(frozen=True)
class Ratio:
    """A count against its normal (patients)."""

    count: float
    normal: float


@dataclass(frozen=True)
class Beds:
    """Occupied and available beds, summed over a group's units."""

    occupied: int
    available: int


@dataclass(frozen=True)
class GroupInput:
    """What is known of a group at a moment; None where an indicator has no data."""

    group_type: str  # community | municipality
    group_id: str  # all | kommunenummer
    ukp: Ratio | None = None
    peak: Ratio | None = None
    aftercare: Beds | None = None
    short_term: Beds | None = None


@dataclass(frozen=True)
class Indicator:
    name: str
    value: float
    threshold: float | None  # the highest threshold passed; None: none
    level: int


@dataclass(frozen=True)
class GroupLevel:
    group_type: str
    group_id: str
    level: int
    indicators: tuple[Indicator, ...]
    missing: tuple[str, ...]  # the indicators left out for want of data


def reached(value: float, thresholds: Thresholds) -> tuple[int, float | None]:
    """The level a value reaches (at or above a threshold passes it) and that threshold."""
    level, passed = 1, None
    for step, threshold in enumerate(thresholds, start=2):
        if value >= threshold:
            level, passed = step, threshold
    return level, passed


def ratio_indicator(name: str, ratio: Ratio, thresholds: Thresholds,
                    min_excess: float) -> Indicator:
    """count / normal; a level only when the count is also ``min_excess`` above it."""
    normal = max(ratio.normal, NORMAL_FLOOR)
    value = ratio.count / normal
    if ratio.count - ratio.normal < min_excess:
        return Indicator(name, value, None, 1)
    level, passed = reached(value, thresholds)
    return Indicator(name, value, passed, level)


def occupancy_indicator(name: str, beds: Beds, thresholds: Thresholds) -> Indicator | None:
    """Occupied / available beds in %; None without available beds (nothing to divide)."""
    if beds.available <= 0:
        return None
    value = 100.0 * beds.occupied / beds.available
    level, passed = reached(value, thresholds)
    return Indicator(name, value, passed, level)


def assess(group: GroupInput, settings: EscalationSettings) -> GroupLevel | None:
    """The group's level and indicators; None when no indicator has data."""
    found: dict[str, Indicator | None] = {
        "ukp_vs_normal": None if group.ukp is None else ratio_indicator(
            "ukp_vs_normal", group.ukp, settings.ukp_ratio, settings.min_excess),
        "aftercare_occupancy": None if group.aftercare is None else occupancy_indicator(
            "aftercare_occupancy", group.aftercare, settings.aftercare_occupancy),
        "short_term_occupancy": None if group.short_term is None else occupancy_indicator(
            "short_term_occupancy", group.short_term, settings.short_term_occupancy),
        "forecast_peak_7d": None if group.peak is None else ratio_indicator(
            "forecast_peak_7d", group.peak, settings.forecast_ratio, settings.min_excess),
    }
    indicators = tuple(i for i in found.values() if i is not None)
    if not indicators:
        return None
    missing = tuple(name for name, i in found.items() if i is None)
    return GroupLevel(group.group_type, group.group_id, max(i.level for i in indicators),
                      indicators, missing)
