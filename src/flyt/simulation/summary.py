"""The model's replications summed into the spec's rows: per run (baseline, scenario,
difference), group (community, region, municipality) and measure, the mean and the 90 %
interval across replications. Groups are summed before a ratio is taken, as the KPI
engine does (spec/kpi.md: a ratio of pooled stays, not a mean of ratios)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from flyt.domain.codes import COMMUNITY_ID
from flyt.simulation.model import Outcome

MEASURES = ("kpi1", "kpi2", "kpi3", "kpi6", "payment", "payment_rising")
DECIMALS = {"kpi1": 1, "kpi2": 1, "kpi3": 2, "kpi6": 2, "payment": 0, "payment_rising": 0}
LOWER, UPPER = 0.05, 0.95  # the 90 % interval
RUNS = ("baseline", "scenario", "difference")


@dataclass(frozen=True)
class Row:
    run: str
    group_type: str
    group_id: str
    measure: str
    mean: float | int | None
    lower: float | int | None
    upper: float | int | None

    def record(self) -> dict[str, object]:
        return {"run": self.run, "group_type": self.group_type, "group_id": self.group_id,
                "measure": self.measure, "mean": self.mean, "lower": self.lower,
                "upper": self.upper}


@dataclass(frozen=True)
class Group:
    group_type: str
    group_id: str
    members: np.ndarray  # bool [M]


def groups(municipalities: Sequence[str], region_of: Mapping[str, str]) -> list[Group]:
    """The community, each region (in the order first met) and each municipality."""
    codes = np.array(municipalities)
    found = [Group("community", COMMUNITY_ID, np.ones(len(codes), dtype=bool))]
    regions = list(dict.fromkeys(region_of[c] for c in municipalities if c in region_of))
    found += [Group("region", r, np.array([region_of.get(c) == r for c in municipalities]))
              for r in regions]
    found += [Group("municipality", c, codes == c) for c in municipalities]
    return found


def _ratio(top: np.ndarray, bottom: np.ndarray, scale: float = 1.0) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, scale * top / np.where(bottom > 0, bottom, 1), np.nan)


def values(outcome: Outcome, members: np.ndarray) -> dict[str, np.ndarray]:
    """Each measure per replication [R] for the group; NaN where a ratio has no stays."""
    def total(part: np.ndarray) -> np.ndarray:
        return np.asarray(part[:, members].sum(axis=1), dtype=float)

    discharged = total(outcome.discharged)
    return {"kpi1": total(outcome.ukp_days),
            "kpi2": _ratio(total(outcome.zero_days), discharged, 100.0),
            "kpi3": _ratio(total(outcome.days_of_discharged), discharged),
            "kpi6": _ratio(total(outcome.short_days), total(outcome.short_ended)),
            "payment": total(outcome.payment),
            "payment_rising": total(outcome.payment_rising)}


def _row(run: str, group: Group, measure: str, drawn: np.ndarray) -> Row:
    seen = drawn[~np.isnan(drawn)]
    if not len(seen):  # no stay in any replication: no value, never 0
        return Row(run, group.group_type, group.group_id, measure, None, None, None)
    digits = DECIMALS[measure]
    low, high = np.quantile(seen, [LOWER, UPPER])
    return Row(run, group.group_type, group.group_id, measure,
               *(_rounded(v, digits) for v in (float(seen.mean()), low, high)))


def _rounded(value: float, digits: int) -> float | int:
    if digits == 0:
        return int(round(float(value)))  # kroner: whole
    return round(float(value), digits) + 0.0  # -0.0 is shown as 0


def rows(baseline: Outcome, scenario: Outcome | None, found: Sequence[Group]) -> list[Row]:
    """Baseline rows; with a scenario also its rows and the difference (scenario minus
    baseline, replication by replication: both ran with the same dice)."""
    made = []
    for group in found:
        base = values(baseline, group.members)
        other = values(scenario, group.members) if scenario is not None else None
        for measure in MEASURES:
            made.append(_row("baseline", group, measure, base[measure]))
            if other is not None:
                made.append(_row("scenario", group, measure, other[measure]))
                made.append(_row("difference", group, measure,
                                 other[measure] - base[measure]))
    order = {run: i for i, run in enumerate(RUNS)}
    return sorted(made, key=lambda r: order[r.run])  # stable: groups and measures in order
