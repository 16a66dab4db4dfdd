"""The backtest as a readable table, in bokmål or English."""

from __future__ import annotations

from flyt import i18n
from flyt.capacity.backtest import METHODS, Backtest
from flyt.i18n import t
from flyt.output.columns import aligned

GROUP_KEYS = {
    "community": "capacity_group_community",
    "municipality": "capacity_group_municipality",
    "aftercare_unit": "capacity_group_aftercare_unit",
    "short_term_unit": "capacity_group_short_term_unit",
}
HEADER_KEYS = ("capacity_col_group", "capacity_col_days", "capacity_col_mae",
               "capacity_col_mape", "capacity_col_coverage")


def backtest_table(result: Backtest, lang: str = "nb") -> str:
    """A heading, then one line per group and horizon band: MAE and MAPE of the model,
    the weekly and the yearly naive forecast, and the model's interval coverage."""
    lines = [t("capacity_backtest_heading", lang).format(
        origins=len(result.origins), first=i18n.day(result.origins[0], lang),
        last=i18n.day(result.origins[-1], lang), horizon=result.horizon),
        t("capacity_backtest_methods", lang), ""]
    rows = [[t(k, lang) for k in HEADER_KEYS]]
    seen: list[tuple[str, tuple[int, int]]] = []
    for score in result.scores:
        if (score.group, score.band) not in seen:
            seen.append((score.group, score.band))
    for group, band in seen:
        found = [result.score(group, band, m) for m in METHODS]
        model = found[0]
        rows.append([
            t(GROUP_KEYS[group], lang), f"{band[0]}–{band[1]}",
            " / ".join(i18n.number(s.mae if s else None, 2, lang) for s in found),
            " / ".join(i18n.percent(s.mape if s else None, 1, lang) for s in found),
            i18n.percent(model.coverage * 100 if model and model.coverage is not None
                         else None, 1, lang),
        ])
    lines += aligned(rows)
    return "\n".join(lines) + "\n"
