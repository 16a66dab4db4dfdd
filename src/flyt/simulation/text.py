"""The validation as a readable table, in bokmål or English."""

from __future__ import annotations

from flyt import i18n
from flyt.i18n import t
from flyt.output.columns import aligned
from flyt.simulation.validation import Check, coverage

HEADER_KEYS = ("simulation_col_year", "simulation_col_group", "simulation_col_actual",
               "simulation_col_mean", "simulation_col_interval", "simulation_col_inside")
COVERAGE_KEYS = ("simulation_coverage_community", "simulation_coverage_municipalities")


def validation_table(checks: list[Check], lang: str = "nb") -> str:
    """A line per year and group (the community first), then the coverage."""
    rows = [[t(k, lang) for k in HEADER_KEYS]]
    ordered = sorted(checks, key=lambda c: (c.year, c.group_type != "community", c.group_id))
    for c in ordered:
        rows.append([str(c.year),
                     t("simulation_community", lang) if c.group_type == "community"
                     else c.group_id,
                     i18n.number(c.actual, 0, lang), i18n.number(c.mean, 0, lang),
                     f"{i18n.number(c.lower, 0, lang)}–{i18n.number(c.upper, 0, lang)}",
                     t("simulation_yes" if c.inside else "simulation_no", lang)])
    found = coverage(checks)
    lines = [t("simulation_validation_heading", lang), "", *aligned(rows), ""]
    for key, (inside, total) in zip(COVERAGE_KEYS, (found.community, found.municipalities),
                                    strict=True):
        share = 100 * inside / total if total else None
        lines.append(t(key, lang).format(inside=inside, total=total,
                                         share=i18n.percent(share, 0, lang)))
    return "\n".join(lines) + "\n"
