"""Escalation levels as a readable table, in bokmål or English."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flyt import i18n
from flyt.capacity.escalation import LEVEL_KEYS, GroupLevel, Indicator
from flyt.i18n import t
from flyt.output.columns import aligned

INDICATOR_KEYS = {
    "ukp_vs_normal": "esc_ind_ukp_vs_normal",
    "aftercare_occupancy": "esc_ind_aftercare_occupancy",
    "short_term_occupancy": "esc_ind_short_term_occupancy",
    "forecast_peak_7d": "esc_ind_forecast_peak_7d",
}
HEADER_KEYS = ("esc_col_group", "esc_col_level", "esc_col_since", "esc_col_indicator",
               "esc_col_value", "esc_col_threshold", "esc_col_indicator_level")
OCCUPANCY = ("aftercare_occupancy", "short_term_occupancy")


def group_label(level: GroupLevel, lang: str, names: Mapping[str, str] | None = None) -> str:
    """The community, or a municipality as «5001 Trondheim» (its number alone when the
    reference data has no name for it)."""
    if level.group_type == "community":
        return t("esc_community", lang)
    return municipality_label(level.group_id, names)


def municipality_label(code: str, names: Mapping[str, str] | None) -> str:
    name = (names or {}).get(code)
    return f"{code} {name}" if name else code


def indicator_value(indicator: Indicator, value: float | None, lang: str) -> str:
    """A value or threshold of the indicator: per cent of beds, or a ratio."""
    if value is None:
        return "–"
    if indicator.name in OCCUPANCY:  # per cent of beds
        return i18n.percent(value, 1, lang)
    return i18n.number(value, 2, lang)


def level_name(level: int, lang: str) -> str:
    return f"{level} {t(LEVEL_KEYS[level], lang)}"


def escalation_table(at: datetime, levels: list[GroupLevel],
                     since: dict[tuple[str, str], datetime], lang: str = "nb",
                     names: Mapping[str, str] | None = None) -> str:
    """A heading, one line per indicator (the group's level and since on its first), and
    a line per group naming the indicators left out for want of data."""
    lines = [t("esc_heading", lang).format(at=i18n.moment(at, lang)), ""]
    rows = [[t(k, lang) for k in HEADER_KEYS]]
    for group in levels:
        for n, indicator in enumerate(group.indicators):
            first = n == 0
            rows.append([
                group_label(group, lang, names) if first else "",
                level_name(group.level, lang) if first else "",
                i18n.moment(since[(group.group_type, group.group_id)], lang) if first else "",
                t(INDICATOR_KEYS[indicator.name], lang),
                indicator_value(indicator, indicator.value, lang),
                indicator_value(indicator, indicator.threshold, lang),
                str(indicator.level),
            ])
    lines += aligned(rows)
    notes = [missing_note(g, lang, names) for g in levels if g.missing]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def missing_note(level: GroupLevel, lang: str, names: Mapping[str, str] | None = None) -> str:
    """The indicators a group has no data for, said in words."""
    missing = ", ".join(t(INDICATOR_KEYS[m], lang) for m in level.missing)
    return t("esc_missing", lang).format(group=group_label(level, lang, names), names=missing)
